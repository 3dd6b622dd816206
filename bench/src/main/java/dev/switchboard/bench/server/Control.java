package dev.switchboard.bench.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmark runner asks of a server: the heap after a full GC and the resident
 * memory, as plain text {@code heap=<bytes> rss=<bytes>}.
 */
public final class Control {

	private Control() {
	}

	/**
	 * Runs full GCs until the heap settles, then measures it.
	 * @return {@code heap=<bytes> rss=<bytes>}
	 */
	public static String memory() {
		long previous = Long.MAX_VALUE;
		long used = usedHeap();
		for (int i = 0; i < 5 && used < previous; i++) {
			previous = used;
			System.gc();
			used = usedHeap();
		}
		return "heap=" + used + " rss=" + residentMemory();
	}

	private static long usedHeap() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	static long residentMemory() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException ex) {
			// Not on Linux: reported as 0.
		}
		return 0;
	}

	/**
	 * Tells the runner, on standard output, that the server serves.
	 * @param port the port
	 */
	public static void ready(int port) {
		System.out.println("READY " + port);
		System.out.flush();
	}

}
