using System.Text;
using System.Text.Json;

namespace MarketSim.Calibration;

/// <summary>
/// The posterior's evaluation log (<c>posterior-evaluations.jsonl</c>): as <see cref="EvaluationLog"/> (a header with
/// the calibration's fingerprint, one JSON line per point flushed before the run goes on, keyed by the bits of its
/// values, a line cut short by a kill dropped on opening), but each line keeps every replication's values, which the
/// implausibility's ensemble variance needs. A killed posterior run started again retraces the same waves and
/// generations (they are deterministic) and takes each logged point instead of simulating it.
/// </summary>
public sealed class PosteriorLog : IDisposable
{
    /// <summary>File name in the output folder.</summary>
    public const string FileName = "posterior-evaluations.jsonl";

    private readonly Dictionary<string, double[][]> known = new(StringComparer.Ordinal);
    private readonly FileStream stream;
    private readonly Lock gate = new();

    private PosteriorLog(FileStream stream) => this.stream = stream;

    /// <summary>Points read from an earlier, interrupted run.</summary>
    public int Reused { get; private set; }

    /// <summary>Opens (or creates) the log in <paramref name="folder"/> for <paramref name="problem"/>.</summary>
    /// <exception cref="EvaluationLogMismatchException">The log is damaged or belongs to another calibration.</exception>
    public static PosteriorLog Open(string folder, CalibrationProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        string path = Path.Combine(folder, FileName);
        if (File.Exists(path) && ScenarioFiles.InputFiles.CheckFile(path, EvaluationLog.MaxBytes) is { } fault)
            throw new EvaluationLogMismatchException($"{path}: {fault.Message}; delete it to start the posterior again");
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var log = new PosteriorLog(stream);
        try
        {
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            int complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
            var lines = Encoding.UTF8.GetString(bytes, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
            {
                stream.SetLength(0);
                log.Append(Header(problem));
                return log;
            }
            string? print = null;
            try
            {
                using var header = JsonDocument.Parse(lines[0]);
                if (header.RootElement.ValueKind == JsonValueKind.Object && header.RootElement.TryGetProperty("fingerprint", out var f)
                    && f.ValueKind == JsonValueKind.String) print = f.GetString();
            }
            catch (JsonException e)
            {
                throw Damaged(path, 1, $"the header is not JSON ({e.Message})");
            }
            if (print != problem.Fingerprint)
                throw new EvaluationLogMismatchException($"{path} is the log of a different calibration (scenario, targets, agents, seeds, parameters or " +
                                                         "priors differ): choose another --out folder, or delete the log to start again");
            for (int i = 1; i < lines.Length; i++)
            {
                var (values, replications) = Parse(lines[i], problem, path, i + 1);
                if (log.known.TryAdd(EvaluationLog.Key(values), replications)) log.Reused++;
            }
            stream.SetLength(complete);
            stream.Seek(0, SeekOrigin.End);
            return log;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The logged replications of a point, if any.</summary>
    public bool TryGet(IReadOnlyList<double> values, out double[][] replications)
    {
        lock (gate) return known.TryGetValue(EvaluationLog.Key(values), out replications!);
    }

    /// <summary>Appends a point's replications and flushes them to disk.</summary>
    public void Add(double[] values, double[][] replications)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(replications);
        string key = EvaluationLog.Key(values);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key", key);
            Numbers(json, "values", values);
            json.WriteStartArray("replications");
            foreach (var r in replications) Numbers(json, null, r);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        lock (gate)
        {
            if (!known.TryAdd(key, replications)) return;
            Append(buffer.ToArray());
        }
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();

    private void Append(byte[] line)
    {
        stream.Write(line);
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
    }

    private static byte[] Header(CalibrationProblem problem)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("fingerprint", problem.Fingerprint);
            json.WriteStartArray("parameters");
            foreach (var p in problem.Parameters) json.WriteStringValue(p.Path);
            json.WriteEndArray();
            json.WriteNumber("targets", problem.Targets.Count);
            json.WriteNumber("replications", problem.Seeds.Count);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static EvaluationLogMismatchException Damaged(string path, int line, string what) =>
        new($"{path}:{line}: {what}; the posterior's log is damaged: delete it (or from this line on) to resume from what is before, or choose another --out");

    /// <summary>One line, checked: values inside the priors' bounds, one finite non-negative value per target and replication, key = bits of the values.</summary>
    private static (double[] Values, double[][] Replications) Parse(string line, CalibrationProblem problem, string path, int number)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw Damaged(path, number, $"not a JSON line ({e.Message})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Damaged(path, number, "expected a JSON object");
            double[] Read(JsonElement a, string name, int count)
            {
                if (a.ValueKind != JsonValueKind.Array) throw Damaged(path, number, $"'{name}' is not a list");
                var result = new List<double>(count);
                foreach (var v in a.EnumerateArray())
                {
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
                        throw Damaged(path, number, $"'{name}' holds {v.GetRawText()}, expected finite numbers");
                    result.Add(d);
                }
                if (result.Count != count) throw Damaged(path, number, $"'{name}' has {result.Count} numbers, expected {count}");
                return [.. result];
            }
            if (!root.TryGetProperty("values", out var v)) throw Damaged(path, number, "'values' missing");
            var values = Read(v, "values", problem.Parameters.Count);
            for (int j = 0; j < values.Length; j++)
                if (values[j] < problem.Parameters[j].Min || values[j] > problem.Parameters[j].Max)
                    throw Damaged(path, number, $"{problem.Parameters[j].Path} = {values[j]} lies outside its prior's bounds");
            if (!root.TryGetProperty("replications", out var reps) || reps.ValueKind != JsonValueKind.Array || reps.GetArrayLength() != problem.Seeds.Count)
                throw Damaged(path, number, $"'replications' missing or not a list of {problem.Seeds.Count}");
            var replications = reps.EnumerateArray().Select(r => Read(r, "replications", problem.Targets.Count)).ToArray();
            if (replications.Any(r => r.Any(x => x < 0))) throw Damaged(path, number, "a simulated value is negative");
            if (!root.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || key.GetString() != EvaluationLog.Key(values))
                throw Damaged(path, number, "its key does not match its values");
            return (values, replications);
        }
    }

    private static void Numbers(Utf8JsonWriter json, string? name, IReadOnlyList<double> values)
    {
        if (name is null) json.WriteStartArray();
        else json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
