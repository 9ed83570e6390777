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
                using (var header = JsonDocument.Parse(lines[0]))
                {
                    string? print = header.RootElement.TryGetProperty("fingerprint", out var f) ? f.GetString() : null;
                    if (print != problem.Fingerprint)
                        throw new EvaluationLogMismatchException(
                            $"{path} is the log of a different calibration (scenario, targets, agents, seeds, parameters or bounds differ): " +
                            "choose another --out folder, or delete the log to start again");
                }
                for (int i = 1; i < lines.Length; i++)
                {
                    var e = Parse(lines[i], problem, evaluator);
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

    private static Evaluation Parse(string line, CalibrationProblem problem, CalibrationEvaluator evaluator)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        double[] values = [.. root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];
        double[] simulated = [.. root.GetProperty("simulated").EnumerateArray().Select(v => v.GetDouble())];
        if (values.Length != problem.Parameters.Count || simulated.Length != problem.Targets.Count)
            throw new EvaluationLogMismatchException($"{FileName}: a line does not match the calibration's parameters and targets");
        // The objective is recomputed rather than read: it is a function of the simulated values.
        return new Evaluation(values, evaluator.Objective(simulated), simulated);
    }

    private static void Numbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
