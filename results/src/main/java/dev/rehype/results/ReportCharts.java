/*
 * The HTML report's charts, drawn by JFreeChart and rendered to inline SVG by JFreeSVG: the
 * outcome mix per fault type × target (stacked bars), the recovery rate per fault type × target
 * with its 95% Wilson interval (points with error bars), the recovery latency distribution (a
 * histogram with the p50/p90/p99 marked) and, when policies were swept, the recovery rate per
 * policy with its interval. Each SVG gets its own id prefix, so several charts live in one page,
 * and the same report always renders to the same SVG text.
 */
package dev.rehype.results;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** Builds the report's charts as SVG text. */
final class ReportCharts {

    static final int WIDTH = 860;
    static final int HEIGHT = 380;

    private static final Color[] OUTCOME_COLOURS = {
        new Color(0xB0B0B0), new Color(0x7FA7D9), new Color(0x3C9A4A), new Color(0xD9822B), new Color(0xC23B3B)};
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ReportCharts() {
    }

    /** Stacked bars: how each fault type × target's runs split over the outcome classes. */
    static String outcomes(List<FaultTypeRow> rows) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (FaultTypeRow row : rows) {
            OutcomeCounts c = row.counts();
            data.addValue(c.runs() - c.activated(), "not activated", row.label());
            data.addValue(c.activated() - c.manifested(), "not manifested", row.label());
            data.addValue(c.recovered(), "recovered", row.label());
            data.addValue(c.detected() - c.recovered(), "detected, not recovered", row.label());
            data.addValue(c.undetected(), "undetected", row.label());
        }
        CategoryAxis x = new CategoryAxis("fault type / target");
        x.setTickLabelFont(TICK_FONT);
        if (rows.size() > 6) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        NumberAxis y = new NumberAxis("runs");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        StackedBarRenderer renderer = new StackedBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < OUTCOME_COLOURS.length; i++) {
            renderer.setSeriesPaint(i, OUTCOME_COLOURS[i]);
        }
        CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        return svg(chart("Outcomes per fault type and target", plot), "outcomes");
    }

    /** Points with error bars: each label's recovery rate and its 95% Wilson interval. */
    static String rates(String title, String axisLabel, List<String> labels, List<Proportion> rates, String idPrefix) {
        YIntervalSeries series = new YIntervalSeries("recovery rate (95% Wilson interval)");
        for (int i = 0; i < labels.size(); i++) {
            Proportion p = rates.get(i);
            if (!p.empty()) {
                series.add(i, p.rate(), p.low(), p.high());
            }
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        data.addSeries(series);
        SymbolAxis x = new SymbolAxis(axisLabel, labels.toArray(String[]::new));
        x.setTickLabelFont(TICK_FONT);
        x.setVerticalTickLabels(labels.size() > 6);
        x.setRange(-0.5, Math.max(0.5, labels.size() - 0.5));
        x.setGridBandsVisible(false);
        NumberAxis y = new NumberAxis("recovered / detected");
        y.setRange(0.0, 1.05);
        y.setNumberFormatOverride(NumberFormat.getPercentInstance(Locale.ROOT));
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDefaultLinesVisible(false);
        renderer.setDrawXError(false);
        renderer.setErrorPaint(new Color(0x1F4E79));
        renderer.setErrorStroke(new BasicStroke(1.5f));
        renderer.setCapLength(8);
        renderer.setSeriesPaint(0, new Color(0x1F4E79));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        return svg(chart(title, plot), idPrefix);
    }

    /** A histogram of recovery latencies with the nearest-rank p50, p90 and p99 marked. */
    static String latency(List<Double> latenciesMs, LatencySummary summary) {
        double[] values = latenciesMs.stream().mapToDouble(Double::doubleValue).toArray();
        HistogramDataset data = new HistogramDataset();
        double min = summary.empty() ? 0 : java.util.Arrays.stream(values).min().orElseThrow();
        double max = summary.empty() ? 1 : summary.maxMs();
        if (max <= min) {
            min -= 0.5;
            max += 0.5;
        }
        int bins = Math.max(1, Math.min(30, values.length));
        data.addSeries("completed recoveries", values, bins, min, max);
        NumberAxis x = new NumberAxis("recovery latency (ms)");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("recoveries");
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYBarRenderer renderer = new XYBarRenderer(0.05);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x3C9A4A));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (!summary.empty()) {
            marker(plot, "p50", summary.p50Ms());
            marker(plot, "p90", summary.p90Ms());
            marker(plot, "p99", summary.p99Ms());
        }
        return svg(chart("Recovery latency distribution (" + summary.samples() + " completed recoveries)", plot), "latency");
    }

    private static void marker(XYPlot plot, String name, double valueMs) {
        ValueMarker marker = new ValueMarker(valueMs, new Color(0x555555), new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        marker.setLabel(name);
        marker.setLabelFont(TICK_FONT);
        marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addDomainMarker(marker);
    }

    private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        plot.setBackgroundPaint(new Color(0xF7F7F7));
        return chart;
    }

    private static String svg(JFreeChart chart, String idPrefix) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        g.setDefsKeyPrefix(idPrefix + "-");
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        return g.getSVGElement("chart-" + idPrefix);
    }
}
