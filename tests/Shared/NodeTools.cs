namespace MarketSim.Tests;

/// <summary>
/// The one way tests run the repository's Node.js tools: tests/duckdb (DuckDB and parquet-wasm, readers that share no
/// code with the project's) and tests/kubernetes (the manifests against the Kubernetes schemas). A tool's packages are
/// installed with <c>npm ci</c> on first use; the script runs through <see cref="ChildProcess"/>, which waits as long
/// as it makes progress (a busy machine makes it slower, not silent) instead of a fixed wall-clock limit.
/// </summary>
internal static class NodeTools
{
    // One install at a time in this test process: two `npm ci` in one folder remove each other's node_modules.
    private static readonly object InstallGate = new();

    /// <summary>How long a script may print nothing and use no CPU before it is taken to hang.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(3);

    /// <summary>True when node and npm are on PATH (the reason <see cref="NodeFactAttribute"/> skips otherwise).</summary>
    public static bool Available => OnPath("node") && OnPath("npm");

    /// <summary>tests/duckdb: DuckDB's scripts (check.mjs, dump.mjs, rewrite.mjs, …).</summary>
    public static string DuckDb => Path.Combine(MarketSimProcess.RepositoryRoot, "tests", "duckdb");

    /// <summary>tests/kubernetes: the manifests' schema check.</summary>
    public static string Kubernetes => Path.Combine(MarketSimProcess.RepositoryRoot, "tests", "kubernetes");

    /// <summary>
    /// Runs <c>node <paramref name="script"/> <paramref name="args"/></c> in <paramref name="tool"/> (one of
    /// <see cref="DuckDb"/>, <see cref="Kubernetes"/>), installing its packages first when they are missing.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>npm ci</c> failed (its output in the message).</exception>
    public static ChildProcess.Result Run(string tool, string script, params string[] args)
    {
        Install(tool);
        return Start(tool, "node", [script, .. args]);
    }

    private static void Install(string tool)
    {
        lock (InstallGate)
        {
            // package-lock.json names what `npm ci` installs; all of it present means the folder is ready.
            if (Directory.Exists(Path.Combine(tool, "node_modules")) && File.Exists(Path.Combine(tool, "node_modules", ".package-lock.json"))) return;
            var install = Start(tool, "npm", ["ci", "--no-audit", "--no-fund"]);
            if (install.ExitCode != 0) throw new InvalidOperationException($"npm ci in {tool} failed: {install.Output}");
        }
    }

    private static ChildProcess.Result Start(string directory, string program, string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program, args) { WorkingDirectory = directory };
        return ChildProcess.RunAsync(psi, Stall).GetAwaiter().GetResult();
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));
}

/// <summary>A fact that needs Node.js and npm (<see cref="NodeTools"/>); skipped, with the reason, without them.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    /// <summary>Skips the test when node or npm is not on PATH.</summary>
    public NodeFactAttribute()
    {
        if (!NodeTools.Available) Skip = "Node.js and npm are not on PATH: the Node.js check is skipped";
    }
}

/// <summary>A theory that needs Node.js and npm (<see cref="NodeTools"/>); skipped, with the reason, without them.</summary>
public sealed class NodeTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the test when node or npm is not on PATH.</summary>
    public NodeTheoryAttribute()
    {
        if (!NodeTools.Available) Skip = "Node.js and npm are not on PATH: the Node.js check is skipped";
    }
}
