using System.Text.Json;
using System.Text.RegularExpressions;
using MarketSim.Output;

namespace MarketSim.Tests;

public sealed class RunOutputWriterTests
{
    private const double Ppa = TestRuns.PeoplePerAgent;
    private static readonly string[] Tiers = ["urban", "rural"];
    private static readonly string[] Platforms = ["tmall", "jd", "pdd"];

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Fact]
    public async Task ReadMetrics_AfterRoundTrip_EveryColumnIsScaledInput()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 5, stepsPerRowGroup: 2);

        var rows = await RunOutputReader.ReadMetricsAsync(tmp.Run());

        Assert.Equal(5 * 2 * 3, rows.Count);
        int r = 0;
        for (int s = 0; s < 5; s++)
            for (int t = 0; t < 2; t++)
                for (int k = 0; k < 3; k++, r++)
                {
                    var row = rows[r];
                    Assert.Equal(s, row.Step);
                    Assert.Equal(TestRuns.Start.AddDays(7 * s), row.Date);
                    Assert.Equal(Tiers[t], row.Tier);
                    Assert.Equal(Platforms[k], row.Platform);
                    long consumers = TestRuns.Consumers(s, t);
                    Assert.Equal(consumers * Ppa, row.Consumers);
                    Assert.Equal(TestRuns.Overlap(s, t, k, k) * Ppa, row.AnnualActive);
                    Assert.Equal(TestRuns.V(2, s, t, k) * Ppa, row.PeriodActive);
                    Assert.Equal(TestRuns.Primary(s, t, k) * Ppa, row.PrimaryUsers);
                    Assert.Equal(consumers == 0 ? 0.0 : (double)TestRuns.Primary(s, t, k) / consumers, row.PrimaryShare);
                    Assert.Equal(TestRuns.V(3, s, t, k) * Ppa, row.NewUsers);
                    Assert.Equal(TestRuns.V(4, s, t, k) * Ppa, row.ChurnedUsers);
                    Assert.Equal(TestRuns.V(5, s, t, k) * Ppa, row.SwitchedIn);
                    Assert.Equal(TestRuns.V(6, s, t, k) * Ppa, row.SwitchedOut);
                    Near(TestRuns.V(7, s, t, k) * 1_234 / 100.0 * Ppa, row.GmvYuan);
                    Near(TestRuns.V(8, s, t, k) * 17 / 100.0 * Ppa, row.SuppliedGmvYuan);
                }
        Assert.Contains(rows, x => x.Consumers == 0 && x.PrimaryShare == 0);
    }

    [Fact]
    public async Task ReadFlows_AfterRoundTrip_AllOffDiagonalPairsInOrder()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 5, stepsPerRowGroup: 2);

        var rows = await RunOutputReader.ReadFlowsAsync(tmp.Run());

        Assert.Equal(5 * 2 * 3 * 2, rows.Count);
        int r = 0;
        for (int s = 0; s < 5; s++)
            for (int t = 0; t < 2; t++)
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++)
                    {
                        if (a == b) continue;
                        var row = rows[r++];
                        Assert.Equal((s, TestRuns.Start.AddDays(7 * s), Tiers[t], Platforms[a], Platforms[b]),
                            (row.Step, row.Date, row.Tier, row.FromPlatform, row.ToPlatform));
                        Assert.Equal(TestRuns.Flow(s, t, a, b) * Ppa, row.Switchers);
                    }
    }

    [Fact]
    public async Task ReadOverlap_AfterRoundTrip_UpperTrianglePairsWithShares()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 5, stepsPerRowGroup: 2);

        var rows = await RunOutputReader.ReadOverlapAsync(tmp.Run());

        Assert.Equal(5 * 2 * 3, rows.Count);
        int r = 0;
        for (int s = 0; s < 5; s++)
            for (int t = 0; t < 2; t++)
                for (int a = 0; a < 3; a++)
                    for (int b = a + 1; b < 3; b++)
                    {
                        var row = rows[r++];
                        long ua = TestRuns.Overlap(s, t, a, a), ub = TestRuns.Overlap(s, t, b, b), both = TestRuns.Overlap(s, t, a, b);
                        Assert.Equal((s, TestRuns.Start.AddDays(7 * s), Tiers[t], Platforms[a], Platforms[b]),
                            (row.Step, row.Date, row.Tier, row.PlatformA, row.PlatformB));
                        Assert.Equal(ua * Ppa, row.UsersA);
                        Assert.Equal(ub * Ppa, row.UsersB);
                        Assert.Equal(both * Ppa, row.UsersBoth);
                        Assert.Equal(ua == 0 ? 0.0 : (double)both / ua, row.ShareOfA);
                        Assert.Equal(ub == 0 ? 0.0 : (double)both / ub, row.ShareOfB);
                    }
        Assert.Contains(rows, x => x.UsersB == 0 && x.ShareOfB == 0);
    }

    [Fact]
    public async Task ReadCalibration_AfterRoundTrip_RowsEqualInput()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 1);

        var rows = await RunOutputReader.ReadCalibrationAsync(tmp.Run());

        Assert.Equal(TestRuns.Calibration, rows);
    }

    [Fact]
    public async Task ReadSchema_EachFile_ColumnsInDocumentedOrderAndTypes()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 1);

        async Task<string> Schema(string file) => string.Join(",",
            (await RunOutputReader.ReadSchemaAsync(Path.Combine(tmp.Run(), file))).Select(c => $"{c.Name}:{c.Type.Name}"));

        const string key = "step:Int32,date:DateOnly,tier:ReadOnlyMemory`1";
        Assert.Equal(key + ",platform:ReadOnlyMemory`1,consumers:Double,annual_active:Double,period_active:Double," +
                     "primary_users:Double,primary_share:Double,new_users:Double,churned_users:Double,switched_in:Double," +
                     "switched_out:Double,orders:Double,gmv_yuan:Double,supplied_gmv_yuan:Double,supplied_orders:Double", await Schema("metrics.parquet"));
        Assert.Equal(key + ",from_platform:ReadOnlyMemory`1,to_platform:ReadOnlyMemory`1,switchers:Double",
            await Schema("flows.parquet"));
        Assert.Equal(key + ",platform_a:ReadOnlyMemory`1,platform_b:ReadOnlyMemory`1,users_a:Double,users_b:Double," +
                     "users_both:Double,share_of_a:Double,share_of_b:Double", await Schema("overlap.parquet"));
        Assert.Equal("target:Int32,period_start:DateOnly,period_end:DateOnly,platform:ReadOnlyMemory`1,with_platform:ReadOnlyMemory`1," +
                     "tiers:ReadOnlyMemory`1,metric:ReadOnlyMemory`1,unit:ReadOnlyMemory`1,reported:Double,simulated:Double," +
                     "relative_error:Double,tolerance:Double,within_tolerance:Boolean,weight:Double,in_sample:Boolean," +
                     "source:ReadOnlyMemory`1", await Schema("calibration.parquet"));
        Assert.StartsWith("kind:ReadOnlyMemory`1,id:ReadOnlyMemory`1,name:ReadOnlyMemory`1,order:Int32,colour:", await Schema("dimensions.parquet"));
    }

    [Fact]
    public async Task ReadMetadata_EveryFile_HasRunKeysAndNoTime()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 3);
        var m = TestRuns.Manifest;
        var expected = new Dictionary<string, string>
        {
            ["marketsim.version"] = m.ProgramVersion,
            ["marketsim.scenario"] = m.ResolvedScenarioYaml,
            ["marketsim.scenario_name"] = m.ScenarioName,
            ["marketsim.scenario_sha256"] = m.ScenarioSha256,
            ["marketsim.seed"] = "42",
            ["marketsim.agents"] = "12000",
            ["marketsim.people_per_agent"] = "250.5",
            ["marketsim.replication"] = "3",
            ["marketsim.schema_version"] = RunOutputWriter.SchemaVersion,
            ["marketsim.units"] = RunOutputWriter.UnitsDescription,
        };

        foreach (var file in new[] { "metrics", "flows", "overlap", "calibration", "dimensions" })
        {
            var kv = await RunOutputReader.ReadMetadataAsync(Path.Combine(tmp.Run(), file + ".parquet"));
            // The small tables carry every key but the scenario itself (its name and hash point to it).
            var want = file is "calibration" or "dimensions" ? expected.Where(p => p.Key != RunOutputWriter.ScenarioKey) : expected;
            Assert.Equal(want.OrderBy(p => p.Key), kv.OrderBy(p => p.Key));
            Assert.DoesNotContain(kv, p => p.Key.Contains("time", StringComparison.OrdinalIgnoreCase)
                                           || Regex.IsMatch(p.Value, @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}"));
        }
    }

    [Fact]
    public async Task CompleteAsync_SameDataTwice_ByteIdenticalFiles()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run("a"), steps: 5, timings: TestRuns.Timings(1));
        await Task.Delay(20);
        await TestRuns.WriteAsync(tmp.Run("b"), steps: 5, timings: TestRuns.Timings(7));

        foreach (var file in new[] { "metrics.parquet", "flows.parquet", "overlap.parquet", "calibration.parquet", "scenario.resolved.yaml" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Run("a"), file)), File.ReadAllBytes(Path.Combine(tmp.Run("b"), file)));
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_LeavesNoParquetNoMarkerNoTempFiles()
    {
        using var tmp = new TempFolder();
        await using (var writer = await RunOutputWriter.CreateAsync(tmp.Run(), TestRuns.Dims, TestRuns.Manifest,
                         OutputSelection.All, stepsPerRowGroup: 2))
        {
            for (int s = 0; s < 3; s++) await writer.WriteStepAsync(TestRuns.Step(s));
            Assert.NotEmpty(Directory.GetFiles(tmp.Run(), ".*.tmp"));
        }

        Assert.True(Directory.Exists(tmp.Run()));
        Assert.Empty(Directory.GetFiles(tmp.Run(), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CreateAsync_FolderWithPreviousRun_RemovesItsMarkerUntilComplete()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 2);
        Assert.True(File.Exists(Path.Combine(tmp.Run(), RunOutputWriter.SuccessFileName)));

        await using (var writer = await RunOutputWriter.CreateAsync(tmp.Run(), TestRuns.Dims, TestRuns.Manifest, OutputSelection.All))
        {
            await writer.WriteStepAsync(TestRuns.Step(0));
            Assert.False(File.Exists(Path.Combine(tmp.Run(), RunOutputWriter.SuccessFileName)));
            Assert.Empty(Directory.GetFiles(tmp.Run(), "*.parquet"));
        }
        Assert.Empty(Directory.GetFiles(tmp.Run()));
    }

    [Fact]
    public async Task CompleteAsync_Always_SuccessMarkerWrittenLastAndEmpty()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 5);

        var marker = new FileInfo(Path.Combine(tmp.Run(), RunOutputWriter.SuccessFileName));
        Assert.True(marker.Exists);
        Assert.Equal(0, marker.Length);
        var others = new DirectoryInfo(tmp.Run()).GetFiles().Where(f => f.Name != marker.Name).ToList();
        Assert.Equal(["calibration.parquet", "dimensions.parquet", "flows.parquet", "metrics.parquet", "overlap.parquet", "run.json", "scenario.resolved.yaml"],
            others.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(others, f => Assert.True(f.LastWriteTimeUtc <= marker.LastWriteTimeUtc, f.Name));
    }

    [Fact]
    public async Task CompleteAsync_Always_RunJsonListsFilesRowsAndTimings()
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 5, stepsPerRowGroup: 2);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(tmp.Run(), RunOutputWriter.RunJsonFileName)));
        var root = json.RootElement;
        Assert.Equal("test-scenario", root.GetProperty("scenario_name").GetString());
        Assert.Equal(42UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(250.5, root.GetProperty("people_per_agent").GetDouble());
        Assert.Equal(5, root.GetProperty("steps").GetInt32());
        Assert.False(root.TryGetProperty("scenario", out _));
        Assert.Equal(4, root.GetProperty("timings").GetProperty("threads").GetInt32());
        var files = root.GetProperty("files").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString(), f.GetProperty("rows").GetInt64(), f.GetProperty("row_groups").GetInt32()));
        Assert.Equal([("metrics.parquet", 30L, 3), ("flows.parquet", 60L, 3), ("overlap.parquet", 30L, 3), ("calibration.parquet", 2L, 1),
            ("dimensions.parquet", (long)(TestRuns.Dims.Tiers + TestRuns.Dims.Platforms), 1)],
            files);
        Assert.Equal(TestRuns.Manifest.ResolvedScenarioYaml,
            await File.ReadAllTextAsync(Path.Combine(tmp.Run(), RunOutputWriter.ScenarioFileName)));
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(false, false, false)]
    public async Task CompleteAsync_SelectionOff_FileAbsent(bool metrics, bool flows, bool overlap)
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps: 3, selection: OutputSelection.All.With(OutputTables.Metrics, metrics).With(OutputTables.Flows, flows).With(OutputTables.Overlap, overlap));

        Assert.Equal(metrics, File.Exists(Path.Combine(tmp.Run(), "metrics.parquet")));
        Assert.Equal(flows, File.Exists(Path.Combine(tmp.Run(), "flows.parquet")));
        Assert.Equal(overlap, File.Exists(Path.Combine(tmp.Run(), "overlap.parquet")));
        Assert.True(File.Exists(Path.Combine(tmp.Run(), "calibration.parquet")));
        Assert.True(File.Exists(Path.Combine(tmp.Run(), RunOutputWriter.SuccessFileName)));
    }

    [Theory]
    [InlineData(5, 2, 3)]
    [InlineData(4, 4, 1)]
    [InlineData(52, 4, 13)]
    [InlineData(3, 8, 1)]
    [InlineData(1, 1, 1)]
    public async Task WriteStepAsync_StepsPerRowGroup_RowGroupCountIsCeiling(int steps, int perGroup, int expected)
    {
        using var tmp = new TempFolder();
        await TestRuns.WriteAsync(tmp.Run(), steps, perGroup);

        foreach (var file in new[] { "metrics", "flows", "overlap" })
            Assert.Equal(expected, await RunOutputReader.ReadRowGroupCountAsync(Path.Combine(tmp.Run(), file + ".parquet")));
    }

    [Fact]
    public async Task CompleteAsync_NoCalibrationRows_WritesEmptyCalibrationFile()
    {
        using var tmp = new TempFolder();
        await using (var writer = await RunOutputWriter.CreateAsync(tmp.Run(), TestRuns.Dims, TestRuns.Manifest, OutputSelection.All))
        {
            await writer.WriteStepAsync(TestRuns.Step(0));
            await writer.CompleteAsync([], TestRuns.Timings());
        }

        Assert.Empty(await RunOutputReader.ReadCalibrationAsync(tmp.Run()));
    }

    [Fact]
    public async Task WriteStepAsync_AfterComplete_Throws()
    {
        using var tmp = new TempFolder();
        await using var writer = await RunOutputWriter.CreateAsync(tmp.Run(), TestRuns.Dims, TestRuns.Manifest, OutputSelection.All);
        await writer.CompleteAsync(TestRuns.Calibration, TestRuns.Timings());

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteStepAsync(TestRuns.Step(0)));
    }

    [Fact]
    public async Task WriteStepAsync_WrongDimensions_Throws()
    {
        using var tmp = new TempFolder();
        await using var writer = await RunOutputWriter.CreateAsync(tmp.Run(), TestRuns.Dims, TestRuns.Manifest, OutputSelection.All);

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteStepAsync(new MarketSim.Engine.StepMetrics(3, 3)));
    }

    /// <summary>
    /// Leaves a complete synthetic run in MARKETSIM_OUTPUT_SAMPLE_DIR for tests/duckdb/check.mjs; does nothing otherwise.
    /// </summary>
    [Fact]
    public async Task WriteSample_EnvironmentVariableSet_LeavesRunForDuckDbCheck()
    {
        string? folder = Environment.GetEnvironmentVariable("MARKETSIM_OUTPUT_SAMPLE_DIR");
        if (string.IsNullOrEmpty(folder)) return;
        await TestRuns.WriteAsync(folder, steps: 5, stepsPerRowGroup: 2);
        Assert.True(File.Exists(Path.Combine(folder, RunOutputWriter.SuccessFileName)));
    }
}
