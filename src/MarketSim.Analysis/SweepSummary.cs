using System.Globalization;
using MarketSim.Sweeps;

namespace MarketSim.Analysis;

/// <summary>A swept parameter as summary.parquet describes it.</summary>
/// <param name="Column">Column name.</param>
/// <param name="Path">Scenario path.</param>
/// <param name="Min">Lower end of its range (null for a values list).</param>
/// <param name="Max">Upper end (null for a values list).</param>
/// <param name="Values">Its value in every run (NaN for a text value).</param>
public sealed record SummaryParameter(string Column, string Path, double? Min, double? Max, double[] Values)
{
    /// <summary>True when the values are numbers an estimator can use.</summary>
    public bool Numeric => Values.All(double.IsFinite);
}

/// <summary>
/// summary.parquet read back: the design (from its key-value metadata), each run's point, status and parameter
/// values, and each named output. Everything the analysis needs, so it runs from the sweep folder alone.
/// </summary>
public sealed class SweepSummary
{
    /// <summary>Sweep name.</summary>
    public required string Name { get; init; }

    /// <summary>Design name: grid, random, lhs, sobol, saltelli, morris or points.</summary>
    public required string Design { get; init; }

    /// <summary>Design points.</summary>
    public required int Points { get; init; }

    /// <summary>Saltelli base points N or Morris trajectories r.</summary>
    public required int Base { get; init; }

    /// <summary>Morris levels.</summary>
    public required int Levels { get; init; }

    /// <summary>Saltelli with second-order rows.</summary>
    public required bool SecondOrder { get; init; }

    /// <summary>Morris design seed.</summary>
    public required ulong DesignSeed { get; init; }

    /// <summary>Replications per point.</summary>
    public required int Replications { get; init; }

    /// <summary>What the baseline arm switches off (empty: outputs are levels).</summary>
    public required string EffectOf { get; init; }

    /// <summary>Analysis options of the sweep file.</summary>
    public required AnalysisOptions Options { get; init; }

    /// <summary>Parameters, in file order.</summary>
    public required IReadOnlyList<SummaryParameter> Parameters { get; init; }

    /// <summary>Named outputs (the effects when there is a baseline arm), in file order: name and definition.</summary>
    public required IReadOnlyList<(string Name, string Definition)> Outputs { get; init; }

    /// <summary>Design point of each run.</summary>
    public required int[] Point { get; init; }

    /// <summary>Status of each run.</summary>
    public required string[] Status { get; init; }

    /// <summary>Each output column's value in each run (null when the run is not ok): the outputs, and with a baseline arm NAME_scenario and NAME_baseline.</summary>
    public required IReadOnlyDictionary<string, double?[]> Values { get; init; }

    /// <summary>The sweep folder the summary was read from (messages name it).</summary>
    public string Folder { get; init; } = "";

    /// <summary>Resolved sweep (sweep.resolved.yaml), for the report.</summary>
    public required string ResolvedSweep { get; init; }

    /// <summary>Reads a sweep folder's summary.parquet.</summary>
    /// <exception cref="AnalysisInputException">The folder has no usable summary.parquet.</exception>
    public static async Task<SweepSummary> ReadAsync(string sweepFolder, CancellationToken ct = default)
    {
        string path = Path.Combine(sweepFolder, SummaryTable.FileName);
        if (!Directory.Exists(sweepFolder)) throw new AnalysisInputException($"{sweepFolder}: no such folder");
        if (!File.Exists(path))
            throw new AnalysisInputException(File.Exists(Path.Combine(sweepFolder, "runs.parquet"))
                ? $"{sweepFolder}: the sweep has no summary.parquet: its file names no outputs (add outputs: {{NAME: {{metric: …, at: end}}}}), or it has not finished"
                : $"{sweepFolder}: not a sweep folder (no runs.parquet, no summary.parquet)");
        try
        {
            return await ReadCheckedAsync(sweepFolder, path, ct).ConfigureAwait(false);
        }
        catch (ParquetInputException e)
        {
            throw new AnalysisInputException(e.Message, e);
        }
    }

    /// <summary>Most design points a sweep can have (as SweepFile allows).</summary>
    private const int MaxPoints = 10_000_000;

    /// <summary>
    /// Reads summary.parquet through <see cref="ParquetInput"/> and checks what the analysis relies on before it is used:
    /// the columns and their types, the design metadata against itself and against the rows (a design's point count, every
    /// run's point inside it, Saltelli's and Morris's point counts from their base), and the analysis options' ranges.
    /// </summary>
    private static async Task<SweepSummary> ReadCheckedAsync(string sweepFolder, string path, CancellationToken ct)
    {
        await using var input = await ParquetInput.OpenAsync(path,
            [new ParquetColumnSpec("point", typeof(int), typeof(long)), new ParquetColumnSpec("status", typeof(string))], ct).ConfigureAwait(false);
        var meta = input.Metadata;
        string M(string key) => meta.TryGetValue("marketsim." + key, out var v) ? v
            : throw input.Problem("", $"key-value metadata marketsim.{key} missing (written by another program, or another program version?)");
        long Whole(string key, long min, long max)
        {
            string text = M(key);
            if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n < min || n > max)
                throw input.Problem("", $"key-value metadata marketsim.{key} = '{text}': expected a whole number from {min} to {max}");
            return n;
        }
        if (input.Rows == 0) throw input.Problem("", "has no rows (no row groups, or empty ones): the sweep's runs are not in it");
        int rows = (int)input.Rows;

        string design = M("design");
        if (design is not ("grid" or "random" or "lhs" or "sobol" or "saltelli" or "morris" or "points"))
            throw input.Problem("", $"key-value metadata marketsim.design = '{design}': expected grid, random, lhs, sobol, saltelli, morris or points");
        int points = (int)Whole("design_points", 1, MaxPoints);
        int designBase = (int)Whole("design_base", 0, MaxPoints);
        int levels = (int)Whole("design_levels", 0, 1000);
        int replications = (int)Whole("replications", 1, 100_000_000);
        string secondOrder = M("design_second_order");
        if (secondOrder is not ("true" or "false")) throw input.Problem("", $"key-value metadata marketsim.design_second_order = '{secondOrder}': expected true or false");
        if (!ulong.TryParse(M("design_seed"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong designSeed))
            throw input.Problem("", $"key-value metadata marketsim.design_seed = '{M("design_seed")}': expected a whole number from 0 to {ulong.MaxValue}");

        var point = await ReadPointsAsync(input, points, ct).ConfigureAwait(false);
        var status = await input.ReadStringsAsync("status", ct).ConfigureAwait(false);

        var parameters = new List<SummaryParameter>();
        foreach (var line in M("parameters").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = line.Split('\t');
            if (p.Length != 4 || p[0].Length == 0)
                throw input.Problem("", $"key-value metadata marketsim.parameters: expected 'column, path, min, max' separated by tabs, found '{line}'");
            double? Bound(string s) => s.Length == 0 ? null
                : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
                : throw input.Problem("", $"key-value metadata marketsim.parameters: parameter {p[0]}: '{s}' is not a number");
            parameters.Add(new SummaryParameter(p[0], p[1], Bound(p[2]), Bound(p[3]), await NumbersAsync(input, p[0], ct).ConfigureAwait(false)));
        }
        if (parameters.Select(p => p.Column).Distinct(StringComparer.Ordinal).Count() != parameters.Count)
            throw input.Problem("", "key-value metadata marketsim.parameters names a column twice");

        var outputs = new List<(string, string)>();
        foreach (var line in M("outputs").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var o = line.Split('\t', 2);
            if (o.Length != 2 || o[0].Length == 0) throw input.Problem("", $"key-value metadata marketsim.outputs: expected 'name, definition' separated by a tab, found '{line}'");
            if (!input.Has(o[0])) throw input.Problem(o[0], "missing (an output the metadata names)");
            outputs.Add((o[0], o[1]));
        }
        var values = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var column in outputs.SelectMany(o => new[] { o.Item1, o.Item1 + "_scenario", o.Item1 + "_baseline" }).Where(input.Has))
            values[column] = await input.ReadAsync<double>(column, ct).ConfigureAwait(false);

        var opts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in M("analysis").Split(';').Select(kv => kv.Split('=', 2)))
            if (kv.Length == 2) opts[kv[0]] = kv[1];
        int Option(string key, int min, int max) =>
            opts.TryGetValue(key, out var t) && int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max ? n
            : throw input.Problem("", $"key-value metadata marketsim.analysis: {key} expected a whole number from {min} to {max}");
        if (!opts.TryGetValue("seed", out var seedText) || !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
            throw input.Problem("", "key-value metadata marketsim.analysis: seed expected a whole number");

        var summary = new SweepSummary
        {
            Name = M("sweep_name"),
            Design = design,
            Points = points,
            Base = designBase,
            Levels = levels,
            SecondOrder = secondOrder == "true",
            DesignSeed = designSeed,
            Replications = replications,
            EffectOf = M("effect_of"),
            Options = new AnalysisOptions(opts.GetValueOrDefault("after_sweep") == "true", Option("bootstrap", 10, 100_000), seed, Option("bins", 2, 100)),
            Parameters = parameters,
            Outputs = outputs,
            Point = point,
            Status = status.Select(s => s ?? "").ToArray(),
            Values = values,
            ResolvedSweep = M("sweep"),
            Folder = sweepFolder,
        };
        CheckDesign(summary, input);
        return summary;
    }

    /// <summary>Each run's design point, which must lie in [0, points): it indexes the per-point arrays.</summary>
    private static async Task<int[]> ReadPointsAsync(ParquetInput input, int points, CancellationToken ct)
    {
        long?[] wide = input.TypeOf("point") == typeof(int)
            ? (await input.ReadAsync<int>("point", ct).ConfigureAwait(false)).Select(v => (long?)v).ToArray()
            : await input.ReadAsync<long>("point", ct).ConfigureAwait(false);
        var point = new int[wide.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            if (wide[i] is not { } p || p < 0 || p >= points)
                throw input.Problem("point", $"row {i + 1}: {(wide[i] is null ? "null" : wide[i]!.Value.ToString(CultureInfo.InvariantCulture))} is not a design point " +
                                             $"(the metadata's design has points 0 to {points - 1})");
            point[i] = (int)p;
        }
        return point;
    }

    /// <summary>A parameter column's values as numbers (NaN for text, or where the file has none).</summary>
    private static async Task<double[]> NumbersAsync(ParquetInput input, string column, CancellationToken ct)
    {
        var type = input.TypeOf(column) ?? throw input.Problem(column, "missing (a parameter the metadata names)");
        if (type == typeof(double)) return (await input.ReadAsync<double>(column, ct).ConfigureAwait(false)).Select(v => v ?? double.NaN).ToArray();
        if (type == typeof(long)) return (await input.ReadAsync<long>(column, ct).ConfigureAwait(false)).Select(v => v is { } x ? (double)x : double.NaN).ToArray();
        if (type == typeof(int)) return (await input.ReadAsync<int>(column, ct).ConfigureAwait(false)).Select(v => v is { } x ? (double)x : double.NaN).ToArray();
        if (type == typeof(string)) return Enumerable.Repeat(double.NaN, (int)input.Rows).ToArray();
        throw input.Problem(column, $"holds {type.Name}, expected numbers or text");
    }

    /// <summary>The design's own arithmetic: Saltelli's and Morris's point counts follow from their base and parameters.</summary>
    private static void CheckDesign(SweepSummary s, ParquetInput input)
    {
        int k = s.Parameters.Count(p => p.Numeric);
        if (s.Design == "saltelli" && k > 0)
        {
            long expected = (long)s.Base * Designs.SaltelliBlock(k, s.SecondOrder);
            if (s.Base < 1 || expected != s.Points)
                throw input.Problem("", $"inconsistent design metadata: a saltelli design of base {s.Base} over {k} parameters has {expected} points, the metadata says {s.Points}");
        }
        if (s.Design == "morris" && k > 0)
        {
            long expected = (long)s.Base * (k + 1);
            if (s.Base < 1 || expected != s.Points || s.Levels < 2 || s.Levels % 2 != 0)
                throw input.Problem("", $"inconsistent design metadata: a morris design of {s.Base} trajectories over {k} parameters (levels {s.Levels}) has {expected} points, the metadata says {s.Points}");
        }
    }

    /// <summary>
    /// Mean of an output over each point's replications (common random numbers: the same seeds at every point); null
    /// for a point none of whose runs is ok.
    /// </summary>
    public double?[] PointMeans(string output)
    {
        var sum = new double[Points];
        var count = new int[Points];
        var v = Values[output];
        for (int i = 0; i < Point.Length; i++)
            if (v[i] is { } x) { sum[Point[i]] += x; count[Point[i]]++; }
        return Enumerable.Range(0, Points).Select(p => count[p] > 0 ? sum[p] / count[p] : (double?)null).ToArray();
    }

    /// <summary>A parameter's value at each design point (the value of the point's first run).</summary>
    public double[] PointValues(SummaryParameter p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var x = new double[Points];
        for (int i = Point.Length - 1; i >= 0; i--) x[Point[i]] = p.Values[i];
        return x;
    }
}

/// <summary>An analysis cannot start: the folder or its summary is not what it needs. One line, for people.</summary>
public sealed class AnalysisInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AnalysisInputException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public AnalysisInputException() { }

    /// <summary>Creates the exception.</summary>
    public AnalysisInputException(string message, Exception inner) : base(message, inner) { }
}
