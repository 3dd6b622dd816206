package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart of ratios, as SVG: one bar per row at the median, a whisker from
 * the smallest to the largest round, a line at 1.0 (the reference) and, if any, a dashed
 * line at the target.
 */
public final class Chart {

	private static final int LABEL_WIDTH = 300;

	private static final int PLOT_WIDTH = 420;

	private static final int ROW_HEIGHT = 22;

	private final String title;

	private final String axis;

	private final double target;

	private final List<Row> rows = new ArrayList<>();

	/**
	 * Creates a chart.
	 * @param title its title
	 * @param axis what the ratios are, under the axis
	 * @param target the target ratio, NaN for none
	 */
	public Chart(String title, String axis, double target) {
		this.title = title;
		this.axis = axis;
		this.target = target;
	}

	/**
	 * Adds a row.
	 * @param label its label
	 * @param stats the ratio's statistics
	 * @return this chart
	 */
	public Chart row(String label, Stats stats) {
		if (stats.count() > 0) {
			this.rows.add(new Row(label, stats));
		}
		return this;
	}

	public boolean isEmpty() {
		return this.rows.isEmpty();
	}

	/**
	 * The chart as an SVG document.
	 * @return the SVG
	 */
	public String svg() {
		double scale = 1.2;
		for (Row row : this.rows) {
			scale = Math.max(scale, row.stats().max() * 1.1);
		}
		if (!Double.isNaN(this.target)) {
			scale = Math.max(scale, this.target * 1.1);
		}
		int height = 40 + this.rows.size() * ROW_HEIGHT + 40;
		int width = LABEL_WIDTH + PLOT_WIDTH + 30;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
						+ "font-size=\"12\">%n",
				width, height));
		svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
		svg.append(String.format(Locale.ROOT,
				"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", escape(this.title)));
		int y = 40;
		for (Row row : this.rows) {
			double median = x(row.stats().median(), scale);
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
					LABEL_WIDTH - 8, y + 15, escape(row.label())));
			svg.append(
					String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
							LABEL_WIDTH, y + 4, median - LABEL_WIDTH, ROW_HEIGHT - 8, color(row.stats().median())));
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
					x(row.stats().min(), scale), y + ROW_HEIGHT / 2, x(row.stats().max(), scale), y + ROW_HEIGHT / 2));
			svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.2fx</text>%n",
					x(row.stats().max(), scale) + 4, y + 15, row.stats().median()));
			y += ROW_HEIGHT;
		}
		line(svg, x(1.0, scale), 34, y + 4, "#444", "");
		if (!Double.isNaN(this.target)) {
			line(svg, x(this.target, scale), 34, y + 4, "#c00", " stroke-dasharray=\"4 3\"");
		}
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#444\">%s</text>%n", LABEL_WIDTH, y + 24,
				escape(this.axis + (Double.isNaN(this.target) ? ""
						: String.format(Locale.ROOT, "; dashed: target %.2fx", this.target)))));
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static void line(StringBuilder svg, double x, int from, int to, String color, String style) {
		svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"%s/>%n",
				x, from, x, to, color, style));
	}

	private static double x(double ratio, double scale) {
		return LABEL_WIDTH + PLOT_WIDTH * Math.max(0, ratio) / scale;
	}

	private static String color(double ratio) {
		return "#5b8db8";
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	private record Row(String label, Stats stats) {
	}

}
