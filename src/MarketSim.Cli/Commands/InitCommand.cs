using System.CommandLine;
using System.Reflection;
using MarketSim.Output;

namespace MarketSim.Cli.Commands;

/// <summary>
/// <c>marketsim init DIR</c>: writes the default scenarios, their data, the example sweeps and the default calibration,
/// which ship inside the tool (embedded resources), to <c>DIR/scenarios/</c> with their folder layout, so that an
/// installed <c>marketsim</c> works outside a checkout of the repository.
/// </summary>
public static class InitCommand
{
    /// <summary>Prefix of the embedded scenario files' resource names (the csproj's LogicalName).</summary>
    private const string Prefix = "scenarios/";

    /// <summary>The shipped files: path below DIR (e.g. scenarios/baseline.yaml) and resource name, in name order.</summary>
    public static IReadOnlyList<string> Shipped { get; } =
        [.. typeof(InitCommand).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "Folder to write scenarios/ into (created if missing)." };
        var force = new Option<bool>("--force") { Description = "Overwrite files that already exist (by default nothing is written if any does)." };
        var command = new Command("init",
            "Write the default scenarios shipped inside the tool (baseline, the JD.com–Kuaishou alliance, their data and sources, the example " +
            "sweeps and the default calibration) to DIR/scenarios/, so that marketsim works outside a checkout of the repository. Then: " +
            "marketsim run DIR/scenarios/jd-kuaishou-alliance.yaml")
        {
            folder, force,
        };
        command.SetAction(parse => Execute(parse.GetValue(folder)!.FullName, parse.GetValue(force)));
        return command;
    }

    private static int Execute(string folder, bool force)
    {
        if (File.Exists(folder))
        {
            Console.Error.WriteLine($"error: {folder} is a file; init writes a folder");
            return ExitCodes.InvalidInput;
        }
        var targets = Shipped.Select(name => (Name: name, Path: Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar)))).ToList();
        var existing = targets.Where(t => File.Exists(t.Path)).Select(t => t.Path).ToList();
        if (existing.Count > 0 && !force)
        {
            // Nothing partial: a user's edited scenario is never overwritten without being asked.
            Console.Error.WriteLine($"error: {existing.Count} of the files exist already, e.g. {existing[0]}; nothing written (use --force to overwrite them)");
            return ExitCodes.InvalidInput;
        }
        var assembly = Assembly.GetExecutingAssembly();
        try
        {
            foreach (var (name, path) in targets)
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, buffer.ToArray());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot write to {folder}: {Faults.Describe(e)}");
            return ExitCodes.Failed;
        }
        string scenarios = Path.Combine(folder, "scenarios");
        Console.Out.WriteLine($"Wrote {targets.Count} files to {scenarios}: the default scenarios, their data (data/SOURCES.md), example sweeps and the default calibration.");
        Console.Out.WriteLine($"Start with: marketsim run {Path.Combine(scenarios, "jd-kuaishou-alliance.yaml")}");
        return ExitCodes.Ok;
    }
}
