using System.Globalization;
using MarketSim.Randomness;
using Parquet;

namespace MarketSim.Output;

/// <summary>Thrown when a posterior file cannot be used: its path and what is wrong, for an exit code 2.</summary>
public sealed class PosteriorEnsembleException(string message) : Exception(message);

/// <summary>
/// A posterior ensemble read back from <c>posterior.parquet</c>: the scenario paths, each accepted set's values and
/// weight. <see cref="Draw"/> picks K of them by systematic resampling, deterministic by seed: what <c>compare
/// --posterior K</c> runs (issue 28).
/// </summary>
public sealed class PosteriorEnsemble
{
    /// <summary>Most draws accepted.</summary>
    public const int MaxDraws = 10_000;

    private const ulong DrawPurpose = 0x504F_5354_4452_4157; // "POSTDRAW"

    private PosteriorEnsemble(string path, string scenario, IReadOnlyList<string> paths, double[][] values, double[] weights)
    {
        Path = path;
        Scenario = scenario;
        Paths = paths;
        Values = values;
        Weights = weights;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>File name of the scenario the posterior was made for.</summary>
    public string Scenario { get; }

    /// <summary>Scenario paths of the parameters, in column order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Values[i][d]: set i, parameter d.</summary>
    public IReadOnlyList<double[]> Values { get; }

    /// <summary>Normalised weights, one per set.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Reads a posterior.parquet; a file that is not one (or is damaged) throws <see cref="PosteriorEnsembleException"/> naming it.</summary>
    public static async Task<PosteriorEnsemble> ReadAsync(string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        PosteriorEnsembleException Bad(string what) => new($"{path}: {what}");
        if (!File.Exists(path)) throw Bad("no such file (a posterior.parquet written by 'marketsim calibrate' with method: posterior)");
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct).ConfigureAwait(false);
            var meta = reader.CustomMetadata;
            if (!meta.TryGetValue("marketsim.kind", out var kind) || kind != "posterior" || !meta.TryGetValue("marketsim.parameter_paths", out var joined))
                throw Bad("not a posterior ensemble (its metadata marketsim.kind is not 'posterior')");
            var paths = joined.Split(',');
            var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
            int rows = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = (int)group.RowCount;
                foreach (var field in reader.Schema.DataFields.Where(f => f.ClrType == typeof(double)))
                {
                    var v = new double[n];
                    await group.ReadAsync<double>(field, v.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                    columns[field.Name] = columns.TryGetValue(field.Name, out var before) ? [.. before, .. v] : v;
                }
                rows += n;
            }
            if (rows == 0) throw Bad("holds no parameter set");
            double[] Column(string name) => columns.TryGetValue(name, out var c) ? c : throw Bad($"column '{name}' missing");
            var byParameter = paths.Select(p => Column(ColumnNames.Of(p))).ToArray();
            var weights = Column("weight");
            double total = 0;
            foreach (var w in weights)
            {
                if (!(w > 0 && double.IsFinite(w))) throw Bad($"column 'weight' holds {w.ToString("R", CultureInfo.InvariantCulture)}: expected positive finite weights");
                total += w;
            }
            var values = Enumerable.Range(0, rows).Select(i => byParameter.Select(c => c[i]).ToArray()).ToArray();
            if (values.Any(v => v.Any(x => !double.IsFinite(x)))) throw Bad("a parameter value is not a finite number");
            meta.TryGetValue("marketsim.scenario", out var scenario);
            return new PosteriorEnsemble(path, scenario ?? "", paths, values, [.. weights.Select(w => w / total)]);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw Bad($"cannot be read as Parquet ({e.Message})");
        }
        catch (Exception e) when (e is not PosteriorEnsembleException and not OperationCanceledException && e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw Bad($"cannot be read as Parquet ({e.Message})");
        }
    }

    /// <summary>
    /// K draws by systematic resampling (Kitagawa 1996): positions (u + i) / K, u uniform from the seed, in the weights'
    /// cumulative sum (file order). Each set is drawn ⌊K·w⌋ or ⌈K·w⌉ times: the least noisy of the standard schemes.
    /// Returns row indices in ascending order; the same seed gives the same draws.
    /// </summary>
    public int[] Draw(int k, ulong seed)
    {
        if (k is < 1 or > MaxDraws) throw new PosteriorEnsembleException($"--posterior: expected a number of draws from 1 to {MaxDraws}, got {k}");
        double u = CounterRandom.ToUnit(CounterRandom.At(CounterRandom.Mix(seed ^ DrawPurpose), 0));
        var draws = new int[k];
        double cumulative = Weights[0];
        int j = 0;
        for (int i = 0; i < k; i++)
        {
            double position = (u + i) / k;
            while (position > cumulative && j < Weights.Count - 1) cumulative += Weights[++j];
            draws[i] = j;
        }
        return draws;
    }

    /// <summary>
    /// Null when the ensemble was made for one of <paramref name="scenarioFiles"/> (compared by file name: the
    /// scenario run, or the file it extends) or does not say; otherwise why it cannot be used.
    /// </summary>
    public string? NotMadeFor(params string[] scenarioFiles)
    {
        ArgumentNullException.ThrowIfNull(scenarioFiles);
        var names = scenarioFiles.Select(System.IO.Path.GetFileName).ToList();
        return Scenario.Length == 0 || names.Contains(Scenario, StringComparer.Ordinal) ? null
            : $"{Path}: the ensemble was made for {Scenario}, not for {string.Join(" or ", names)}; a posterior calibrates the scenario " +
              "it was run on (its metadata marketsim.scenario)";
    }

    /// <summary>The scenario overrides of set <paramref name="row"/>: each path and its value as <c>--set</c> text.</summary>
    public IReadOnlyDictionary<string, string> Overrides(int row) =>
        Paths.Select((p, d) => (p, Values[row][d].ToString("R", CultureInfo.InvariantCulture))).ToDictionary(x => x.p, x => x.Item2, StringComparer.Ordinal);
}
