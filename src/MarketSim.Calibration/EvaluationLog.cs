using System.Text;
using System.Text.Json;

namespace MarketSim.Calibration;

/// <summary>Thrown when an output folder holds the evaluation log of a different calibration.</summary>
public sealed class EvaluationLogMismatchException(string message) : Exception(message);

/// <summary>
/// The append-only evaluation log (<c>evaluations.jsonl</c>): a header line with the calibration's fingerprint, then one
/// JSON line per evaluated point, flushed to disk before the search goes on. Points are keyed by the bits of their
/// parameter values, so a calibration that was killed and started again takes logged values instead of re-running
/// them and, the objective being deterministic, follows the same path to the same result. A line cut short by the kill
/// is dropped when the log is opened.
/// </summary>
public sealed class EvaluationLog : IDisposable
{
    /// <summary>File name in the output folder.</summary>
    public const string FileName = "evaluations.jsonl";

    private readonly Dictionary<string, Evaluation> known = new(StringComparer.Ordinal);
    private readonly FileStream stream;
    private readonly Lock gate = new();

    private EvaluationLog(FileStream stream) => this.stream = stream;

    /// <summary>Evaluations read from an earlier, interrupted run of the same calibration.</summary>
    public int Reused { get; private set; }

    /// <summary>Opens (or creates) the log in <paramref name="folder"/> for <paramref name="problem"/>.</summary>
    /// <exception cref="EvaluationLogMismatchException">The log belongs to a calibration with another fingerprint.</exception>
    public static EvaluationLog Open(string folder, CalibrationProblem problem, CalibrationEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(evaluator);
        string path = Path.Combine(folder, FileName);
        // The log is input on a resume: a FIFO or device there would block or never end, an enormous file exhaust memory.
        if (File.Exists(path) && ScenarioFiles.InputFiles.CheckFile(path, MaxBytes) is { } fault)
            throw new EvaluationLogMismatchException($"{path}: {fault.Message}; delete it to start the calibration again");
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var log = new EvaluationLog(stream);
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
            }
            else
            {
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
                {
                    if (print != problem.Fingerprint)
                        throw new EvaluationLogMismatchException(
                            $"{path} is the log of a different calibration (scenario, targets, agents, seeds, parameters or bounds differ): " +
                            "choose another --out folder, or delete the log to start again");
                }
                for (int i = 1; i < lines.Length; i++)
                {
                    var e = Parse(lines[i], problem, evaluator, path, i + 1);
                    if (log.known.TryAdd(Key(e.Values), e)) log.Reused++;
                }
                // Drop a line cut short by a kill, so the next line does not continue it.
                stream.SetLength(complete);
                stream.Seek(0, SeekOrigin.End);
            }
            return log;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The key of a parameter vector: the exact bits of each value.</summary>
    public static string Key(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sb = new StringBuilder(values.Count * 17);
        foreach (var v in values) sb.Append(BitConverter.DoubleToInt64Bits(v).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)).Append(':');
        return sb.ToString();
    }

    /// <summary>The logged evaluation of a point, if any.</summary>
    public bool TryGet(IReadOnlyList<double> values, out Evaluation evaluation)
    {
        lock (gate) return known.TryGetValue(Key(values), out evaluation!);
    }

    /// <summary>Appends an evaluation and flushes it to disk.</summary>
    public void Add(Evaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("key", Key(evaluation.Values));
            Numbers(json, "values", evaluation.Values);
            json.WriteNumber("objective", evaluation.Objective);
            Numbers(json, "simulated", evaluation.Simulated);
            json.WriteEndObject();
        }
        lock (gate)
        {
            if (!known.TryAdd(Key(evaluation.Values), evaluation)) return;
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
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Largest log accepted on a resume: far above the 200 000 evaluations a budget allows (about 1 KiB each).</summary>
    public const long MaxBytes = 1L << 30;

    private static EvaluationLogMismatchException Damaged(string path, int line, string what) =>
        new($"{path}:{line}: {what}; the evaluation log is damaged: delete it (or from this line on) to resume from what is before, or choose another --out");

    /// <summary>
    /// One logged evaluation, validated before use: an object with <c>key</c>, <c>values</c> and <c>simulated</c>, one
    /// finite value per parameter inside its bounds and one finite, non-negative simulated value per target, and a key
    /// equal to the bits of the values (the key is written from them, so it also catches a value changed after writing).
    /// Anything else names the file and line (exit 2), never an exception of the JSON reader.
    /// </summary>
    private static Evaluation Parse(string line, CalibrationProblem problem, CalibrationEvaluator evaluator, string path, int number)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw Damaged(path, number, $"not a JSON line ({e.Message})"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Damaged(path, number, "expected a JSON object");
            double[] Numbers(string name, int count)
            {
                if (!root.TryGetProperty(name, out var a) || a.ValueKind != JsonValueKind.Array)
                    throw Damaged(path, number, $"'{name}' missing or not a list");
                var result = new List<double>(count);
                foreach (var v in a.EnumerateArray())
                {
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
                        throw Damaged(path, number, $"'{name}' holds {v.GetRawText()}, expected finite numbers");
                    result.Add(d);
                }
                if (result.Count != count) throw Damaged(path, number, $"'{name}' has {result.Count} numbers, the calibration has {count}");
                return [.. result];
            }
            double[] values = Numbers("values", problem.Parameters.Count);
            double[] simulated = Numbers("simulated", problem.Targets.Count);
            for (int j = 0; j < values.Length; j++)
                if (values[j] < problem.Parameters[j].Min || values[j] > problem.Parameters[j].Max)
                    throw Damaged(path, number, $"{problem.Parameters[j].Path} = {values[j]} lies outside its bounds");
            if (simulated.Any(v => v < 0)) throw Damaged(path, number, "a simulated value is negative");
            if (!root.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || key.GetString() != Key(values))
                throw Damaged(path, number, "its key does not match its values");
            // The objective is recomputed rather than read: it is a function of the simulated values.
            return new Evaluation(values, evaluator.Objective(simulated), simulated);
        }
    }

    private static void Numbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
