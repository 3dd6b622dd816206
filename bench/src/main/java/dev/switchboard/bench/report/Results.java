package dev.switchboard.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every result of a run, kept in memory and appended to a TSV file as it comes, and the
 * notes a scenario adds (reference figures it measured on the side).
 */
public final class Results {

	private final List<Result> all = new ArrayList<>();

	private final Map<String, List<String>> notes = new LinkedHashMap<>();

	private final Path file;

	/**
	 * Creates the results of a run.
	 * @param file the TSV file they are appended to
	 */
	public Results(Path file) {
		this.file = file;
	}

	/**
	 * Adds a result.
	 * @param result the result
	 */
	public synchronized void add(Result result) {
		this.all.add(result);
		StringBuilder line = new StringBuilder();
		line.append(result.scenario())
			.append('\t')
			.append(result.config())
			.append('\t')
			.append(result.variant())
			.append('\t')
			.append(result.round());
		new TreeMap<>(result.values())
			.forEach((name, value) -> line.append('\t').append(name).append('=').append(format(value)));
		try {
			Files.createDirectories(this.file.getParent());
			Files.writeString(this.file, line.append('\n'), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Adds a note to a scenario's section of the report.
	 * @param scenario the scenario
	 * @param note the note, Markdown
	 */
	public synchronized void note(String scenario, String note) {
		this.notes.computeIfAbsent(scenario, (key) -> new ArrayList<>()).add(note);
	}

	public synchronized List<String> notes(String scenario) {
		return List.copyOf(this.notes.getOrDefault(scenario, List.of()));
	}

	/**
	 * The results of a scenario.
	 * @param scenario the scenario
	 * @return its results, in the order they came
	 */
	public synchronized List<Result> of(String scenario) {
		return this.all.stream().filter((result) -> result.scenario().equals(scenario)).toList();
	}

	static String format(double value) {
		return String.format(Locale.ROOT, "%.4f", value);
	}

}
