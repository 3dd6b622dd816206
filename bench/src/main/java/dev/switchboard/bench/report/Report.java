package dev.switchboard.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The report, Markdown, with its charts written next to it as SVG files.
 */
public final class Report {

	private final StringBuilder markdown = new StringBuilder();

	private final Path file;

	private final Path images;

	/**
	 * Creates a report.
	 * @param file the Markdown file it is written to
	 */
	public Report(Path file) {
		this.file = file;
		this.images = file.resolveSibling("images");
	}

	public Report heading(int level, String text) {
		this.markdown.append("#".repeat(level)).append(' ').append(text).append("\n\n");
		return this;
	}

	public Report paragraph(String text) {
		this.markdown.append(text).append("\n\n");
		return this;
	}

	/**
	 * Adds a table.
	 * @param header the header cells
	 * @param rows the rows
	 * @return this report
	 */
	public Report table(List<String> header, List<List<String>> rows) {
		this.markdown.append("| ").append(String.join(" | ", header)).append(" |\n|");
		header.forEach((cell) -> this.markdown.append(" --- |"));
		this.markdown.append('\n');
		for (List<String> row : rows) {
			this.markdown.append("| ").append(String.join(" | ", row)).append(" |\n");
		}
		this.markdown.append('\n');
		return this;
	}

	/**
	 * Writes a chart next to the report and shows it.
	 * @param name the chart's file name, without extension
	 * @param alt its alternative text
	 * @param chart the chart
	 * @return this report
	 */
	public Report chart(String name, String alt, Chart chart) {
		if (chart.isEmpty()) {
			return this;
		}
		try {
			Files.createDirectories(this.images);
			Files.writeString(this.images.resolve(name + ".svg"), chart.svg());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.markdown.append("![").append(alt).append("](images/").append(name).append(".svg)\n\n");
		return this;
	}

	/**
	 * Writes the report.
	 */
	public void write() {
		try {
			Files.createDirectories(this.file.getParent());
			Files.writeString(this.file, this.markdown.toString().stripTrailing() + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
