package dev.switchboard.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that the Java code shown in {@code docs/*.md} and the project's
 * {@code README.md} is the code compiled here. Each {@code ```java} block is preceded by
 * {@code <!-- snippet: ClassName#tag -->} and holds the region of {@code ClassName.java},
 * in this package, between {@code // tag::tag[]} and {@code // end::tag[]}, without the
 * tag lines; {@code sub/ClassName#tag} names a class of the subpackage {@code sub}, for a
 * class name this package already has. Both are compared dedented, with trailing
 * whitespace stripped and leading tabs read as four spaces, so that the Markdown may
 * indent with spaces. A block of another language, such as a page, may be preceded by
 * {@code <!-- snippet: resource:path -->} and then holds the whole file {@code path} of
 * the test resources.
 */
class DocsSnippetsTests {

	private static final Path DOCS = Path.of("..", "docs");

	private static final Path README = Path.of("..", "README.md");

	private static final Path SOURCES = Path.of("src", "test", "java", "dev", "switchboard", "docs");

	private static final Path RESOURCES = Path.of("src", "test", "resources");

	private static final String RESOURCE = "resource:";

	private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S*)\\s*-->\\s*$");

	private static final Pattern REFERENCE = Pattern
		.compile("((?:[a-z][a-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*)#([A-Za-z0-9_-]+)");

	private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+)\\s*([^\\s`]*).*$");

	private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([A-Za-z0-9_-]+)\\[\\]\\s*$");

	private static List<CodeBlock> blocks;

	@BeforeAll
	static void readDocs() throws IOException {
		blocks = new ArrayList<>();
		try (Stream<Path> files = Files.list(DOCS)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".md")).sorted().toList()) {
				blocks.addAll(codeBlocks(file));
			}
		}
		blocks.addAll(codeBlocks(README));
	}

	@Test
	void readmeShowsAJavaSnippet() {
		assertThat(javaBlocks()).as("```java blocks in %s", README.toAbsolutePath().normalize())
			.anyMatch((block) -> block.location().startsWith("README.md:"));
	}

	@Test
	void docsShowJavaSnippets() {
		assertThat(javaBlocks()).as("```java blocks in %s", DOCS.toAbsolutePath().normalize()).hasSizeGreaterThan(10);
	}

	@Test
	void everyJavaBlockHasASnippetMarker() {
		List<String> problems = new ArrayList<>();
		for (CodeBlock block : javaBlocks()) {
			if (block.marker() == null) {
				problems
					.add(block.location() + ": a ```java block needs a <!-- snippet: ClassName#tag --> line above it");
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void everySnippetMarkerPrecedesAJavaBlock() {
		List<String> problems = new ArrayList<>();
		for (CodeBlock block : blocks) {
			if (block.marker() != null && !block.isJava() && !block.marker().startsWith(RESOURCE)) {
				problems.add(block.location() + ": the snippet marker is not followed by a ```java block");
			}
			if (block.marker() != null && block.isJava() && block.marker().startsWith(RESOURCE)) {
				problems.add(block.location() + ": a ```java block names its class, not a resource");
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void everySnippetMarkerNamesAnExistingFileAndTag() throws IOException {
		List<String> problems = new ArrayList<>();
		for (CodeBlock block : markedJavaBlocks()) {
			Matcher reference = REFERENCE.matcher(block.marker());
			if (!reference.matches()) {
				problems.add(block.location() + ": '" + block.marker()
						+ "' is not of the form ClassName#tag or subpackage/ClassName#tag");
				continue;
			}
			Path source = SOURCES.resolve(reference.group(1) + ".java");
			if (!Files.isRegularFile(source)) {
				problems.add(block.location() + ": " + source + " does not exist");
				continue;
			}
			Regions regions = regions(source);
			problems.addAll(regions.problems());
			if (!regions.byTag().containsKey(reference.group(2))) {
				problems.add(block.location() + ": " + source + " has no region tagged '" + reference.group(2) + "'");
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void everyJavaSnippetMatchesItsCompiledSource() throws IOException {
		List<String> problems = new ArrayList<>();
		for (CodeBlock block : markedJavaBlocks()) {
			Matcher reference = REFERENCE.matcher(block.marker());
			Path source = SOURCES.resolve(reference.matches() ? reference.group(1) + ".java" : "");
			if (!reference.matches() || !Files.isRegularFile(source)) {
				continue;
			}
			List<String> region = regions(source).byTag().get(reference.group(2));
			if (region == null) {
				continue;
			}
			List<String> expected = normalize(region);
			List<String> actual = normalize(block.lines());
			if (!expected.equals(actual)) {
				problems.add(block.location() + ": differs from " + block.marker() + " in " + source + "\n"
						+ difference(expected, actual));
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void everyResourceSnippetMatchesItsFile() throws IOException {
		List<String> problems = new ArrayList<>();
		for (CodeBlock block : blocks) {
			if (block.marker() == null || !block.marker().startsWith(RESOURCE)) {
				continue;
			}
			Path file = RESOURCES.resolve(block.marker().substring(RESOURCE.length()));
			if (!Files.isRegularFile(file)) {
				problems.add(block.location() + ": " + file + " does not exist");
				continue;
			}
			List<String> expected = normalize(Files.readAllLines(file, StandardCharsets.UTF_8));
			List<String> actual = normalize(block.lines());
			if (!expected.equals(actual)) {
				problems.add(block.location() + ": differs from " + file + "\n" + difference(expected, actual));
			}
		}
		assertThat(problems).isEmpty();
	}

	private static List<CodeBlock> javaBlocks() {
		return blocks.stream().filter(CodeBlock::isJava).toList();
	}

	private static List<CodeBlock> markedJavaBlocks() {
		return blocks.stream().filter((block) -> block.isJava() && block.marker() != null).toList();
	}

	private static List<CodeBlock> codeBlocks(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		List<CodeBlock> found = new ArrayList<>();
		int i = 0;
		while (i < lines.size()) {
			Matcher open = FENCE.matcher(lines.get(i));
			if (!open.matches()) {
				i++;
				continue;
			}
			String fence = open.group(2);
			int start = i;
			List<String> content = new ArrayList<>();
			i++;
			while (i < lines.size() && !lines.get(i).strip().equals(fence)) {
				content.add(lines.get(i));
				i++;
			}
			i++;
			found.add(new CodeBlock(file.getFileName() + ":" + (start + 1), open.group(3), markerAbove(lines, start),
					content));
		}
		return found;
	}

	private static String markerAbove(List<String> lines, int fence) {
		for (int i = fence - 1; i >= 0; i--) {
			if (!lines.get(i).isBlank()) {
				Matcher marker = MARKER.matcher(lines.get(i));
				return marker.matches() ? marker.group(1) : null;
			}
		}
		return null;
	}

	private static Regions regions(Path source) throws IOException {
		Map<String, List<String>> byTag = new LinkedHashMap<>();
		List<String> open = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			Matcher tag = TAG.matcher(line);
			String where = source + ":" + (i + 1);
			if (!tag.matches()) {
				open.forEach((name) -> byTag.get(name).add(line));
				continue;
			}
			String name = tag.group(2);
			if (tag.group(1).equals("tag")) {
				if (byTag.containsKey(name)) {
					problems.add(where + ": tag '" + name + "' is declared twice");
				}
				byTag.put(name, new ArrayList<>());
				open.add(name);
			}
			else if (!open.remove(name)) {
				problems.add(where + ": end of tag '" + name + "', which is not open");
			}
		}
		open.forEach((name) -> problems.add(source + ": tag '" + name + "' is never ended"));
		return new Regions(byTag, problems);
	}

	/**
	 * Reads leading tabs as four spaces, strips trailing whitespace and the blank lines
	 * around the code, and removes the indentation common to every line.
	 * @param lines the lines
	 * @return the normalized lines
	 */
	private static List<String> normalize(List<String> lines) {
		List<String> expanded = new ArrayList<>();
		for (String line : lines) {
			int tabs = 0;
			while (tabs < line.length() && line.charAt(tabs) == '\t') {
				tabs++;
			}
			expanded.add(("    ".repeat(tabs) + line.substring(tabs)).stripTrailing());
		}
		while (!expanded.isEmpty() && expanded.get(0).isEmpty()) {
			expanded.remove(0);
		}
		while (!expanded.isEmpty() && expanded.get(expanded.size() - 1).isEmpty()) {
			expanded.remove(expanded.size() - 1);
		}
		int indent = expanded.stream()
			.filter((line) -> !line.isEmpty())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		return expanded.stream().map((line) -> line.isEmpty() ? line : line.substring(indent)).toList();
	}

	private static String difference(List<String> expected, List<String> actual) {
		int line = 0;
		while (line < expected.size() && line < actual.size() && expected.get(line).equals(actual.get(line))) {
			line++;
		}
		String source = (line < expected.size()) ? expected.get(line) : "<end of region>";
		String docs = (line < actual.size()) ? actual.get(line) : "<end of block>";
		return "  first difference at line " + (line + 1) + " of the snippet\n  source: " + source + "\n  docs:   "
				+ docs;
	}

	/**
	 * A fenced code block of a Markdown file.
	 *
	 * @param location file and line of the opening fence
	 * @param language the info string's first word
	 * @param marker what the snippet marker above the block names, or {@code null}
	 * @param lines the block's content
	 */
	private record CodeBlock(String location, String language, String marker, List<String> lines) {

		boolean isJava() {
			return "java".equals(this.language);
		}

	}

	/**
	 * The tagged regions of a source file, and what is wrong with its tags.
	 *
	 * @param byTag the lines of each region, without tag lines
	 * @param problems unbalanced or duplicate tags
	 */
	private record Regions(Map<String, List<String>> byTag, List<String> problems) {

	}

}
