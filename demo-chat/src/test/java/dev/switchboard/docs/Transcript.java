package dev.switchboard.docs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.springframework.boot.test.system.CapturedOutput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.test.WsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A transcript that the docs print: a fenced block preceded by
 * {@code <!-- transcript: name -->}, which a test named by {@link Transcribes} replays
 * against the running code and compares with what the code does.
 * <p>
 * In a conversation, a line {@code → text} is sent as a text frame and a line
 * {@code ← text} is the next text frame expected. A line {@code $ curl ...} is a request,
 * and the lines after it, up to the next {@code $} line, are the body expected. Any other
 * line is printed by the application: a log line or a startup failure.
 * <p>
 * The docs print what varies from run to run as a sample; the comparison reads it as a
 * pattern:
 * <ul>
 * <li>{@code ...} stands for any text. A JSON string written as {@code "5b0c..."} stands
 * for any string, and the same string written again later in the transcript, in a line
 * sent or expected, stands for the value it matched first.</li>
 * <li>An instant such as {@code 2025-06-01T10:15:30.123456Z} stands for any instant, and
 * a connection id such as {@code k3x9q0b2mz.vR8nXo2LQeC1dA7w} for any connection id.</li>
 * <li>Values the test knows, such as the port or the instance id, are bound with
 * {@link #bind(String, String)} and stand for that value.</li>
 * </ul>
 * A reply printed as JSON is compared as JSON, field order included; spaces between
 * tokens do not matter.
 */
public final class Transcript {

	private static final Path DOCS = Path.of("..", "docs");

	private static final Path README = Path.of("..", "README.md");

	private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*transcript:\\s*(\\S+)\\s*-->\\s*$");

	private static final Pattern FENCE = Pattern.compile("^\\s*(```+)\\s*([^\\s`]*).*$");

	private static final String CONNECTION_ID = "[a-z0-9]{10}\\.[A-Za-z0-9_-]{16}";

	private static final String INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z";

	private static final Pattern SAMPLE = Pattern.compile("(" + CONNECTION_ID + ")|(" + INSTANT + ")|(\\.\\.\\.)");

	private static final Pattern CURL_TOKEN = Pattern.compile("'([^']*)'|\"([^\"]*)\"|(\\S+)");

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Block block;

	private final Map<String, String> bindings = new LinkedHashMap<>();

	private Transcript(Block block) {
		this.block = block;
	}

	/**
	 * The transcript of that name in the docs.
	 * @param name the name its marker gives
	 * @return the transcript
	 */
	public static Transcript named(String name) {
		Block block = blocks().get(name);
		if (block == null) {
			throw new AssertionError("No <!-- transcript: " + name + " --> in " + DOCS.toAbsolutePath().normalize());
		}
		return new Transcript(block);
	}

	/**
	 * A transcript of the given lines, as if a page printed them.
	 * @param lines the lines
	 * @return the transcript
	 */
	static Transcript of(String... lines) {
		return new Transcript(new Block("test", "text", "test", List.of(lines)));
	}

	/**
	 * Every marked transcript of the docs and the README, by name.
	 * @return the blocks
	 */
	static Map<String, Block> blocks() {
		Map<String, Block> blocks = new LinkedHashMap<>();
		for (Block block : allBlocks()) {
			if (block.name() != null && blocks.put(block.name(), block) != null) {
				throw new AssertionError(block.location() + ": a second transcript named " + block.name());
			}
		}
		return blocks;
	}

	/**
	 * Every fenced block of the docs and the README, marked or not.
	 * @return the blocks
	 */
	static List<Block> allBlocks() {
		try (Stream<Path> files = Files.list(DOCS)) {
			List<Block> blocks = new ArrayList<>();
			for (Path file : files.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				blocks.addAll(blocks(file));
			}
			blocks.addAll(blocks(README));
			return blocks;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<Block> blocks(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		List<Block> found = new ArrayList<>();
		String marker = null;
		int i = 0;
		while (i < lines.size()) {
			Matcher open = FENCE.matcher(lines.get(i));
			Matcher named = MARKER.matcher(lines.get(i));
			if (named.matches()) {
				marker = named.group(1);
			}
			if (!open.matches()) {
				if (!named.matches() && !lines.get(i).isBlank()) {
					marker = null;
				}
				i++;
				continue;
			}
			int start = i;
			List<String> content = new ArrayList<>();
			i++;
			while (i < lines.size() && !lines.get(i).strip().equals(open.group(1))) {
				content.add(lines.get(i).strip());
				i++;
			}
			i++;
			found.add(new Block(file.getFileName() + ":" + (start + 1), open.group(2), marker, content));
			marker = null;
		}
		return found;
	}

	/**
	 * Makes a sample value of the docs stand for the value of this run.
	 * @param sample the text the docs print
	 * @param actual the text of this run
	 * @return this transcript
	 */
	public Transcript bind(String sample, String actual) {
		this.bindings.put(sample, actual);
		return this;
	}

	/**
	 * Where the block is, for messages.
	 * @return file and line
	 */
	public String location() {
		return this.block.location();
	}

	/**
	 * The lines of the block.
	 * @return the lines, stripped
	 */
	public List<String> lines() {
		return this.block.lines();
	}

	/**
	 * Sends each {@code →} line and compares each {@code ←} line with the next text
	 * frame.
	 * @param client the client
	 */
	public void converse(WsClient client) {
		int exchanged = 0;
		for (String line : lines()) {
			if (line.startsWith("→ ")) {
				client.send(substitute(line.substring(2)));
			}
			else if (line.startsWith("← ")) {
				assertMatches(line.substring(2), client.nextText());
				exchanged++;
			}
			else if (!line.isEmpty()) {
				fail("%s: '%s' is neither sent (→) nor received (←)", location(), line);
			}
		}
		assertThat(exchanged).as("%s: replies", location()).isPositive();
		assertThat(client.drain()).as("%s: frames the transcript does not show", location()).isEmpty();
	}

	/**
	 * Runs each {@code $ curl} line against {@code localhost}, with the bound values in
	 * place of their samples, and compares the response body with the lines after it.
	 * @param port the application's port, which stands for the port the docs print
	 */
	public void curl(int port) {
		int requests = 0;
		Iterator<String> lines = lines().iterator();
		String line = lines.hasNext() ? lines.next() : null;
		while (line != null) {
			if (!line.startsWith("$ curl ")) {
				fail("%s: '%s' is not a curl command", location(), line);
			}
			String command = line;
			StringBuilder expected = new StringBuilder();
			line = null;
			while (lines.hasNext()) {
				String next = lines.next();
				if (next.startsWith("$ ")) {
					line = next;
					break;
				}
				expected.append(next).append('\n');
			}
			HttpResponse<String> response = send(curlRequest(substitute(command), port));
			assertThat(response.statusCode()).as("%s: status of %s: %s", location(), command, response.body())
				.isBetween(200, 299);
			assertMatches(expected.toString().strip(), response.body());
			requests++;
		}
		assertThat(requests).as("%s: requests", location()).isPositive();
	}

	/**
	 * Waits until each line of the block is in the application's output, in order.
	 * @param output the captured output
	 */
	public void expectOutput(CapturedOutput output) {
		List<Pattern> patterns = lines().stream().map((line) -> Pattern.compile(pattern(line))).toList();
		assertThat(patterns).as("%s: lines", location()).isNotEmpty();
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
			int from = 0;
			String text = output.toString();
			for (Pattern pattern : patterns) {
				Matcher matcher = pattern.matcher(text);
				assertThat(matcher.find(from))
					.as("%s: no line matching %s in the output after offset %d", location(), pattern, from)
					.isTrue();
				from = matcher.end();
			}
		});
	}

	/**
	 * Compares a line of the transcript with what the application did.
	 * @param expected the line as the docs print it, without its arrow
	 * @param actual what the application sent or printed
	 */
	public void assertMatches(String expected, String actual) {
		String described = location() + ": expected " + expected + "\n  but got " + actual;
		if (expected.startsWith("{") || expected.startsWith("[")) {
			JsonNode actualJson;
			try {
				actualJson = json.readTree(actual);
			}
			catch (RuntimeException ex) {
				throw new AssertionError(described + "\n  which is not JSON", ex);
			}
			matchJson(json.readTree(substitute(expected)), actualJson, "$", described);
		}
		else {
			assertThat(actual).as(described).matches(pattern(expected));
		}
	}

	private void matchJson(JsonNode expected, JsonNode actual, String path, String described) {
		if (expected.isObject()) {
			assertThat(actual.isObject()).as("%s\n  at %s: not an object", described, path).isTrue();
			List<String> expectedNames = new ArrayList<>(expected.propertyNames());
			List<String> actualNames = new ArrayList<>(actual.propertyNames());
			assertThat(actualNames).as("%s\n  fields of %s", described, path).isEqualTo(expectedNames);
			for (String name : expectedNames) {
				matchJson(expected.get(name), actual.get(name), path + "." + name, described);
			}
		}
		else if (expected.isArray()) {
			assertThat(actual.isArray()).as("%s\n  at %s: not an array", described, path).isTrue();
			assertThat(actual.size()).as("%s\n  size of %s", described, path).isEqualTo(expected.size());
			for (int i = 0; i < expected.size(); i++) {
				matchJson(expected.get(i), actual.get(i), path + "[" + i + "]", described);
			}
		}
		else if (expected.isString()) {
			assertThat(actual.isString()).as("%s\n  at %s: not a string", described, path).isTrue();
			String sample = expected.asString();
			if (sample.endsWith("...")) {
				bind(sample, actual.asString());
			}
			else {
				assertThat(actual.asString()).as("%s\n  at %s", described, path).matches(pattern(sample));
			}
		}
		else {
			assertThat(actual).as("%s\n  at %s", described, path).isEqualTo(expected);
		}
	}

	/**
	 * The text with each bound sample replaced by its value.
	 * @param text a line of the docs
	 * @return the line of this run
	 */
	String substitute(String text) {
		String result = text;
		for (Map.Entry<String, String> binding : sortedBindings()) {
			result = result.replace(binding.getKey(), binding.getValue());
		}
		return result;
	}

	private List<Map.Entry<String, String>> sortedBindings() {
		return this.bindings.entrySet()
			.stream()
			.sorted(Comparator.comparingInt((Map.Entry<String, String> entry) -> entry.getKey().length()).reversed())
			.toList();
	}

	/**
	 * The regular expression a line of the docs stands for.
	 * @param sample the line as printed
	 * @return the pattern
	 */
	private String pattern(String sample) {
		StringBuilder pattern = new StringBuilder();
		int at = 0;
		while (at < sample.length()) {
			Map.Entry<String, String> bound = boundAt(sample, at);
			Matcher shape = SAMPLE.matcher(sample).region(at, sample.length());
			boolean shaped = shape.lookingAt();
			if (shaped && shape.group(3) == null) {
				pattern.append((shape.group(1) != null) ? "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{16}" : INSTANT);
				at = shape.end();
			}
			else if (bound != null) {
				pattern.append(Pattern.quote(bound.getValue()));
				at += bound.getKey().length();
			}
			else if (shaped) {
				pattern.append(".*");
				at = shape.end();
			}
			else {
				pattern.append(Pattern.quote(String.valueOf(sample.charAt(at))));
				at++;
			}
		}
		return pattern.toString();
	}

	private Map.Entry<String, String> boundAt(String text, int at) {
		for (Map.Entry<String, String> binding : sortedBindings()) {
			if (text.startsWith(binding.getKey(), at)) {
				return binding;
			}
		}
		return null;
	}

	private HttpRequest curlRequest(String command, int port) {
		List<String> tokens = new ArrayList<>();
		Matcher token = CURL_TOKEN.matcher(command.substring("$ curl ".length()));
		while (token.find()) {
			tokens.add((token.group(1) != null) ? token.group(1)
					: (token.group(2) != null) ? token.group(2) : token.group(3));
		}
		String method = null;
		String body = null;
		String url = null;
		HttpRequest.Builder request = HttpRequest.newBuilder().timeout(TIMEOUT);
		for (Iterator<String> it = tokens.iterator(); it.hasNext();) {
			String option = it.next();
			switch (option) {
				case "-X" -> method = it.next();
				case "-H" -> {
					String[] header = it.next().split(":\\s*", 2);
					request.header(header[0], header[1]);
				}
				case "-d" -> body = it.next();
				case "-u" -> request.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString(it.next().getBytes(StandardCharsets.UTF_8)));
				default -> {
					if (option.startsWith("-")) {
						fail("%s: the test does not know the curl option %s", location(), option);
					}
					url = option;
				}
			}
		}
		assertThat(url).as("%s: URL of %s", location(), command).startsWith("localhost:8080/");
		request.uri(URI.create("http://localhost:" + port + url.substring("localhost:8080".length())));
		String chosen = (method != null) ? method : (body != null) ? "POST" : "GET";
		return request
			.method(chosen,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build();
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A fenced block of the docs.
	 *
	 * @param location file and line of its opening fence
	 * @param language the info string's first word
	 * @param name the name its transcript marker gives, or {@code null}
	 * @param lines its lines, stripped
	 */
	record Block(String location, String language, String name, List<String> lines) {

		/**
		 * Whether the block shows what a client sends and gets, or a command and its
		 * output: such a block needs a transcript marker.
		 * @return whether it shows behaviour
		 */
		boolean showsBehaviour() {
			return this.lines.stream()
				.anyMatch((line) -> line.startsWith("→ ") || line.startsWith("← ") || line.startsWith("$ curl "));
		}

	}

}
