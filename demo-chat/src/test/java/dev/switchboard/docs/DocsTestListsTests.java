package dev.switchboard.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the "What is tested" list that ends each page of the docs: every test it names,
 * {@code SomeTests} or {@code SomeTests.someMethod}, exists in the project's tests, so
 * that a renamed or removed test cannot leave a claim pointing at nothing.
 */
class DocsTestListsTests {

	private static final Path DOCS = Path.of("..", "docs");

	private static final List<Path> TEST_SOURCES = List.of(Path.of("..", "autoconfigure", "src", "test", "java"),
			Path.of("..", "test", "src", "test", "java"), Path.of("src", "test", "java"),
			Path.of("..", "emitter", "src", "test", "java"));

	private static final Pattern NAMED_TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*Tests)(?:\\.([a-z][A-Za-z0-9]*))?`");

	@Test
	void everyTestAListNamesExists() throws IOException {
		Map<String, String> sources = testSources();
		List<String> problems = new ArrayList<>();
		int named = 0;
		for (Path page : pages()) {
			List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
			boolean inList = false;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (line.startsWith("## ")) {
					inList = line.equals("## What is tested");
					continue;
				}
				if (!inList) {
					continue;
				}
				Matcher test = NAMED_TEST.matcher(line);
				while (test.find()) {
					named++;
					String where = page.getFileName() + ":" + (i + 1) + ": ";
					String source = sources.get(test.group(1));
					if (source == null) {
						problems.add(where + "no test class " + test.group(1));
					}
					else if (test.group(2) != null
							&& !Pattern.compile("\\bvoid " + test.group(2) + "\\(").matcher(source).find()) {
						problems.add(where + test.group(1) + " has no test method " + test.group(2));
					}
				}
			}
		}
		assertThat(named).as("tests named by the docs' lists").isGreaterThan(100);
		assertThat(problems).isEmpty();
	}

	@Test
	void everyPageButTheBenchmarkReportHasAList() throws IOException {
		List<String> without = new ArrayList<>();
		for (Path page : pages()) {
			String name = page.getFileName().toString();
			if (!name.equals("README.md") && !name.equals("benchmarks.md")
					&& !Files.readAllLines(page, StandardCharsets.UTF_8).contains("## What is tested")) {
				without.add(name);
			}
		}
		assertThat(without).isEmpty();
	}

	private static List<Path> pages() throws IOException {
		try (Stream<Path> files = Files.list(DOCS)) {
			return files.filter((path) -> path.toString().endsWith(".md")).sorted().toList();
		}
	}

	private static Map<String, String> testSources() throws IOException {
		Map<String, String> sources = new HashMap<>();
		for (Path root : TEST_SOURCES) {
			try (Stream<Path> files = Files.walk(root)) {
				for (Path file : files.filter((path) -> path.toString().endsWith("Tests.java")).toList()) {
					String name = file.getFileName().toString().replace(".java", "");
					sources.merge(name, Files.readString(file, StandardCharsets.UTF_8), String::concat);
				}
			}
		}
		return sources;
	}

}
