package dev.switchboard.browser;

import java.io.File;
import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for tests: Debian's chromium with its chromium-driver, so that
 * nothing is downloaded.
 */
public final class Chromium {

	/**
	 * How long a test waits for a page to show something.
	 */
	public static final Duration WAIT = Duration.ofSeconds(20);

	private static final File CHROMIUM = new File("/usr/bin/chromium");

	private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	private Chromium() {
	}

	/**
	 * Starts a browser with a page of exactly 1280x800. The caller quits it.
	 * @return the browser
	 */
	public static ChromeDriver start() {
		if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
			throw new AssertionError("No " + CHROMIUM + " or " + CHROMEDRIVER
					+ ": install chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		// --no-sandbox: CI runs as root, which Chromium's sandbox refuses.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
				"--force-device-scale-factor=1", "--no-first-run", "--disable-background-networking",
				"--disable-component-update", "--lang=en-US");
		// The driver is given, so Selenium Manager never looks for (or downloads) one.
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
			.usingAnyFreePort()
			.build();
		ChromeDriver browser = new ChromeDriver(service, options);
		// A page of exactly 1280x800, whatever the window's frame takes: the size of
		// screenshots.
		browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", 1280, "height", 800, "deviceScaleFactor", 1, "mobile", false));
		return browser;
	}

	/**
	 * Waits until the page meets the condition.
	 * @param browser the browser
	 * @param condition the condition
	 */
	public static void await(WebDriver browser, ExpectedCondition<?> condition) {
		new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).until(condition);
	}

}
