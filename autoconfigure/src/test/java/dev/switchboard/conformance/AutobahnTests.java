package dev.switchboard.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.python.core.PyDictionary;
import org.python.core.PyList;
import org.python.core.PyString;
import org.python.util.PythonInterpreter;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Autobahn|Testsuite's fuzzing client, cases 1 to 7 and 10 (framing, pings and pongs,
 * reserved bits, opcodes, fragmentation, UTF-8, close handshakes, auto-fragmentation),
 * against a plain and a reactive echo socket. Every case must pass, except that 6.4.x,
 * which check how early invalid UTF-8 in a fragmented message is detected, may be
 * NON-STRICT: Switchboard validates each fragment as it arrives, not each byte. The
 * suite's Python sources run under Jython, in this JVM; its report is written to
 * {@code target/autobahn}.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "switchboard.limits.messages-per-second=0")
class AutobahnTests {

	private static final Path REPORTS = Path.of("target", "autobahn");

	private static final List<String> CASES = List.of("1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*");

	@LocalServerPort
	int port;

	@Test
	void plainAndReactiveEchoSocketsPassTheFuzzingClientsCases() throws IOException {
		Map<String, String> agents = new TreeMap<>();
		agents.put("plain", "ws://127.0.0.1:" + this.port + "/ws/echo-plain");
		agents.put("reactive", "ws://127.0.0.1:" + this.port + "/ws/echo-reactive");
		runFuzzingClient(agents);
		JsonNode index = JsonMapper.builder().build().readTree(REPORTS.resolve("index.json").toFile());
		List<String> failures = new ArrayList<>();
		int cases = 0;
		for (String agent : agents.keySet()) {
			JsonNode results = index.path(agent);
			assertThat(results.size()).as("cases run for %s", agent).isGreaterThan(200);
			for (Map.Entry<String, JsonNode> result : results.properties()) {
				cases++;
				String problem = problem(result.getKey(), result.getValue());
				if (problem != null) {
					failures.add(agent + " " + result.getKey() + ": " + problem);
				}
			}
		}
		System.out.println("Autobahn|Testsuite: " + cases + " cases run, " + failures.size() + " failed; report in "
				+ REPORTS.toAbsolutePath().resolve("index.html"));
		assertThat(failures).as("cases that failed, see " + REPORTS.toAbsolutePath()).isEmpty();
	}

	private static String problem(String id, JsonNode result) {
		String behavior = result.path("behavior").asText();
		String close = result.path("behaviorClose").asText();
		boolean lenient = id.startsWith("6.4.");
		for (String outcome : List.of(behavior, close)) {
			boolean passed = outcome.equals("OK") || outcome.equals("INFORMATIONAL")
					|| (lenient && outcome.equals("NON-STRICT"));
			if (!passed) {
				return "behavior " + behavior + ", close " + close;
			}
		}
		return null;
	}

	private static String jythonJar() {
		try {
			return Path.of(PythonInterpreter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				.toString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void runFuzzingClient(Map<String, String> agents) throws IOException {
		Files.createDirectories(REPORTS);
		// A run that writes nothing must not pass on an earlier run's results.
		Files.deleteIfExists(REPORTS.resolve("index.json"));
		Properties properties = new Properties();
		properties.setProperty("python.cachedir.skip", "true");
		PythonInterpreter.initialize(System.getProperties(), properties, new String[0]);
		try (OutputStream log = Files.newOutputStream(REPORTS.resolve("fuzzingclient.log"));
				PythonInterpreter python = new PythonInterpreter()) {
			python.setOut(log);
			python.setErr(log);
			PyDictionary options = new PyDictionary();
			options.put(new PyString("mode"), new PyString("fuzzingclient"));
			PyList servers = new PyList();
			agents.forEach((agent, url) -> {
				PyDictionary server = new PyDictionary();
				server.put(new PyString("agent"), new PyString(agent));
				server.put(new PyString("url"), new PyString(url));
				servers.add(server);
			});
			PyList cases = new PyList();
			CASES.forEach((pattern) -> cases.add(new PyString(pattern)));
			PyDictionary spec = new PyDictionary();
			spec.put(new PyString("outdir"), new PyString(REPORTS.toString()));
			spec.put(new PyString("servers"), servers);
			spec.put(new PyString("cases"), cases);
			spec.put(new PyString("exclude-cases"), new PyList());
			spec.put(new PyString("exclude-agent-cases"), new PyDictionary());
			python.set("options", options);
			python.set("spec", spec);
			// Java packages named io (io.netty, ...) would stand for Python's io module
			// in Twisted's imports: Python's is imported first, from Jython's standard
			// library, which Jython finds next to its jar, and cannot from Surefire's
			// manifest-only class path.
			python.set("stdlib", new PyString(jythonJar() + "/Lib"));
			python.exec("import sys; sys.path.insert(0, stdlib); import io");
			python.exec("from autobahntestsuite import wstest");
			python.exec("wstest.start(options, spec)");
		}
	}

}
