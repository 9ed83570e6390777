using System.Globalization;
using MarketSim.Sweeps;
using Parquet;
using Parquet.Schema;

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

    /// <summary>Design name: grid, random, lhs, sobol, saltelli or morris.</summary>
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
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct).ConfigureAwait(false);
            var meta = reader.CustomMetadata;
            string M(string key) => meta.TryGetValue("marketsim." + key, out var v) ? v
                : throw new AnalysisInputException($"{path}: key-value metadata marketsim.{key} missing (written by another program version?)");
            var rg = reader.OpenRowGroupReader(0);
            int rows = (int)rg.RowCount;
            var fields = reader.Schema.DataFields.ToDictionary(f => f.Name);
            async Task<double[]> Numbers(string column)
            {
                var f = fields[column];
                if (f.ClrType == typeof(double)) { var a = new double[rows]; await rg.ReadAsync<double>(f, a.AsMemory(), null, ct).ConfigureAwait(false); return a; }
                if (f.ClrType == typeof(long)) { var a = new long[rows]; await rg.ReadAsync<long>(f, a.AsMemory(), null, ct).ConfigureAwait(false); return a.Select(v => (double)v).ToArray(); }
                return Enumerable.Repeat(double.NaN, rows).ToArray();
            }
            var point = new int[rows];
            await rg.ReadAsync<int>(fields["point"], point.AsMemory(), null, ct).ConfigureAwait(false);
            var status = new string?[rows];
            await rg.ReadAsync(fields["status"], status.AsMemory(), null, ct).ConfigureAwait(false);
            var parameters = new List<SummaryParameter>();
            foreach (var line in M("parameters").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var p = line.Split('\t');
                double? Parse(string s) => s.Length == 0 ? null : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
                parameters.Add(new SummaryParameter(p[0], p[1], Parse(p[2]), Parse(p[3]), await Numbers(p[0]).ConfigureAwait(false)));
            }
            var outputs = M("outputs").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t', 2)).Select(p => (p[0], p[1])).ToList();
            var values = new Dictionary<string, double?[]>(StringComparer.Ordinal);
            foreach (var column in outputs.SelectMany(o => new[] { o.Item1, o.Item1 + "_scenario", o.Item1 + "_baseline" }).Where(fields.ContainsKey))
            {
                var a = new double?[rows];
                await rg.ReadAsync<double>((DataField)fields[column], a.AsMemory(), null, ct).ConfigureAwait(false);
                values[column] = a;
            }
            var opts = M("analysis").Split(';').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            return new SweepSummary
            {
                Name = M("sweep_name"),
                Design = M("design"),
                Points = int.Parse(M("design_points"), CultureInfo.InvariantCulture),
                Base = int.Parse(M("design_base"), CultureInfo.InvariantCulture),
                Levels = int.Parse(M("design_levels"), CultureInfo.InvariantCulture),
                SecondOrder = M("design_second_order") == "true",
                DesignSeed = ulong.Parse(M("design_seed"), CultureInfo.InvariantCulture),
                Replications = int.Parse(M("replications"), CultureInfo.InvariantCulture),
                EffectOf = M("effect_of"),
                Options = new AnalysisOptions(opts["after_sweep"] == "true", int.Parse(opts["bootstrap"], CultureInfo.InvariantCulture),
                    ulong.Parse(opts["seed"], CultureInfo.InvariantCulture), int.Parse(opts["bins"], CultureInfo.InvariantCulture)),
                Parameters = parameters,
                Outputs = outputs,
                Point = point,
                Status = status.Select(s => s ?? "").ToArray(),
                Values = values,
                ResolvedSweep = M("sweep"),
            };
        }
        catch (Exception e) when (e is IOException or InvalidDataException or KeyNotFoundException or FormatException or IndexOutOfRangeException
                                      or NotSupportedException or InvalidCastException)
        {
            throw new AnalysisInputException($"{path}: cannot be read as a sweep summary: {e.Message}");
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
