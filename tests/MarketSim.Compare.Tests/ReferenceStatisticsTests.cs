using MarketSim.Compare;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;
using MathNet.Numerics.Distributions;

namespace MarketSim.Tests;

/// <summary>
/// A comparison whose every written number is recomputed in the test from per-replication runs the test simulates itself
/// (not the comparison's): the alliance from the run's first day, weekly steps from Saturday 28 December 2019 (the first
/// step straddles the year end, every period starts and ends mid-week), twelve steps, four replications, attribution of
/// its four clauses. Run once and shared.
/// </summary>
public sealed class ReferenceComparisonFixture : IAsyncLifetime
{
    public const int Replications = 4;
    public static readonly DateOnly Start = new(2019, 12, 28); // a Saturday
    public const int Steps = 12;

    internal Compare.Result Result { get; private set; } = null!;

    internal Attribution Attribution { get; private set; } = null!;

    public string Folder { get; } = Compare.NewTempFolder();

    /// <summary>Per replication and arm (0 scenario, 1 baseline), every step's metrics, simulated by the test.</summary>
    internal StepMetrics[][][] Own { get; private set; } = null!;

    internal double[][] PeoplePerAgent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var overrides = Compare.Small(3_000, Steps, cohortsPerTier: 64);
        overrides["calendar.start"] = Start.ToString("yyyy-MM-dd");
        overrides["calendar.burn_in_steps"] = "52";
        var request = new CompareRequest(Compare.Scenario("jd-kuaishou-alliance.yaml"), Compare.Scenario("baseline.yaml"), Replications, overrides,
            // The alliance acts from the first step (no ramps, a supplied slice large enough for slice orders in every
            // step), so the period since the first difference is the whole run.
            ScenarioOverrides: new Dictionary<string, string>
            {
                ["alliances.jd-kuaishou.start"] = Start.ToString("yyyy-MM-dd"),
                ["alliances.jd-kuaishou.supply[0].share"] = "0.5",
                ["alliances.jd-kuaishou.supply[0].ramp_days"] = "0",
                ["alliances.jd-kuaishou.traffic[0].ramp_days"] = "0",
            });
        var problems = new List<string>();
        var plan = ComparePlan.Create(request, problems);
        Assert.True(plan is not null, string.Join("\n", problems));
        Result = Compare.Run(plan!, charts: false);
        await Compare.PublishAsync(Result, Folder);
        var clauses = Attribution.ClausesOf(plan!, out var problem);
        Assert.True(clauses is not null, problem);
        Attribution = Attribution.Run(plan!, Result.Runs, clauses!, threads: 2);
        await AttributionFile.WriteAsync(Folder, Attribution, new Dictionary<string, string>());

        // The per-replication values, simulated here from each arm's scenario, without the comparison's runner.
        Own = new StepMetrics[Replications][][];
        PeoplePerAgent = new double[Replications][];
        for (int r = 0; r < Replications; r++)
        {
            Own[r] = new StepMetrics[2][];
            PeoplePerAgent[r] = new double[2];
            for (int a = 0; a < 2; a++)
            {
                var model = new MarketModel(plan!.LoadFresh((Arm)a, r));
                Own[r][a] = Simulate(model);
                PeoplePerAgent[r][a] = model.PeoplePerAgent;
            }
        }
    }

    internal static StepMetrics[] Simulate(MarketModel model)
    {
        var sim = new Simulation(model, 1);
        var steps = new List<StepMetrics>();
        while (!sim.Done) steps.Add(sim.Step());
        return [.. steps];
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Issue 32, items 1 and 3: every interval in comparison.parquet, totals.parquet and attribution.parquet against an
/// independent computation (mean, sample standard deviation with divisor R − 1, MathNet's Student t at 0.975 and
/// R − 1 degrees of freedom, each bound from the mean), from per-replication values the test simulates and sums itself.
/// </summary>
public sealed class ReferenceStatisticsTests(ReferenceComparisonFixture f) : IClassFixture<ReferenceComparisonFixture>
{
    private const int R = ReferenceComparisonFixture.Replications;

    /// <summary>Mean, sd, low, high, significant by the textbook formulas (not the project's helpers).</summary>
    internal static (double Mean, double Sd, double Low, double High, bool Significant) Reference(IReadOnlyList<double> d)
    {
        int n = d.Count;
        double mean = 0;
        foreach (double x in d) mean += x;
        mean /= n;
        double ss = 0;
        foreach (double x in d) ss += (x - mean) * (x - mean);
        double sd = Math.Sqrt(ss / (n - 1));
        double t = StudentT.InvCDF(0, 1, n - 1, 0.975);
        double half = t * sd / Math.Sqrt(n);
        return (mean, sd, mean - half, mean + half, mean - half > 0 || mean + half < 0);
    }

    private static void Close(double expected, double? actual, string what)
    {
        Assert.True(actual is not null, $"{what}: null, expected {expected:R}");
        double tol = 1e-9 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual!.Value) <= tol, $"{what}: expected {expected:R}, written {actual:R}");
    }

    private static void Statistics(IReadOnlyList<double> d, double? mean, double? sd, double? low, double? high, bool? significant, string what,
        bool checkSignificance = true)
    {
        var e = Reference(d);
        Close(e.Mean, mean, what + " mean");
        Close(e.Sd, sd, what + " sd");
        Close(e.Low, low, what + " ci_low");
        Close(e.High, high, what + " ci_high");
        // Significance is a comparison with 0: at a bound within rounding of 0 either answer is right.
        if (checkSignificance && Math.Min(Math.Abs(e.Low), Math.Abs(e.High)) > 1e-9 * Math.Max(1, Math.Abs(e.Mean)))
            Assert.True(e.Significant == significant, $"{what} significant: expected {e.Significant}, written {significant}");
    }

    [Fact]
    public void StudentT_TheQuantileUsed_IsThePublishedOneAtThreeDegreesOfFreedom()
    {
        // The reference itself, against a printed table: t(0.975, 3) = 3.182446, t(0.975, 2) = 4.302653.
        Assert.Equal(3.182446305, StudentT.InvCDF(0, 1, 3, 0.975), 1e-8);
        Assert.Equal(4.302652730, StudentT.InvCDF(0, 1, 2, 0.975), 1e-8);
        Assert.Equal(3.182446305 / 2, ComparisonTable.HalfWidth(4, 1), 1e-8);
    }

    [Fact]
    public void OwnRuns_AreTheComparisonsRuns_AndReplicationsDiffer()
    {
        // The test's own simulations reproduce the comparison's, arm by arm: a swapped arm or replication shows here.
        for (int r = 0; r < R; r++)
            for (int a = 0; a < 2; a++)
            {
                var theirs = f.Result.Runs.Get(r, (Arm)a);
                Assert.Equal(f.PeoplePerAgent[r][a], theirs.PeoplePerAgent);
                for (int k = 0; k < ReferenceComparisonFixture.Steps; k++)
                    Assert.Equal(f.Own[r][a][k].CountArrays, theirs.Steps[k].CountArrays);
            }
        Assert.NotEqual(f.Own[0][1][^1].AnnualActive, f.Own[1][1][^1].AnnualActive);
    }

    /// <summary>A comparison.parquet value of one replication and arm, by the docs/compare.md definition.</summary>
    private double Value(int r, int a, int step, string metric, int tier, int p, int q)
    {
        var steps = f.Own[r][a];
        var m = steps[step];
        int T = m.Tiers, P = m.Platforms;
        double ppa = f.PeoplePerAgent[r][a];
        var tiers = tier < T ? new[] { tier } : Enumerable.Range(0, T).ToArray();
        long Sum(Func<StepMetrics, int, long> cell, StepMetrics s) => tiers.Sum(t => cell(s, t));
        switch (metric)
        {
            case "annual_active": return Sum((s, t) => s.AnnualActive[t * P + p], m) * ppa;
            case "primary_share": // a fraction of the shoppers (schema version 2), tiers summed first
                long whole = Sum((s, t) => s.Consumers[t], m);
                return whole == 0 ? 0 : (double)Sum((s, t) => s.Primary[t * P + p], m) / whole;
            case "gmv": return Sum((s, t) => s.GmvFen[t * P + p], m) * ppa / 100;
            case "supplied_gmv": return Sum((s, t) => s.SuppliedGmvFen[t * P + p], m) * ppa / 100;
            case "net_flow": return Sum((s, t) => s.Flows[(t * P + q) * P + p] - s.Flows[(t * P + p) * P + q], m) * ppa;
            case "cumulative_net_flow":
                long c = 0;
                for (int k = 0; k <= step; k++) c += Sum((s, t) => s.Flows[(t * P + q) * P + p] - s.Flows[(t * P + p) * P + q], steps[k]);
                return c * ppa;
            default: throw new ArgumentException(metric);
        }
    }

    [Fact]
    public async Task ComparisonParquet_EveryRowsMeansAndInterval_RecomputedFromOwnReplications()
    {
        var (rows, meta) = await ComparisonFile.ReadAsync(Path.Combine(f.Folder, "comparison.parquet"));
        var dims = f.Result.Runs.Dimensions;
        Assert.Equal("0.95", meta["marketsim.confidence"]);
        var duck = DuckDbTable.Available ? DuckDbTable.Read(Path.Combine(f.Folder, "comparison.parquet")) : null;
        Assert.Equal(ReferenceComparisonFixture.Steps * f.Result.Table.RowsPerStep, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            int tier = row.Tier == "all" ? dims.Tiers : dims.TierIds.ToList().IndexOf(row.Tier);
            int p = dims.PlatformIds.ToList().IndexOf(row.Platform);
            int q = row.Counterpart is null ? -1 : dims.PlatformIds.ToList().IndexOf(row.Counterpart);
            var s = Enumerable.Range(0, R).Select(r => Value(r, 0, row.Step, row.Metric, tier, p, q)).ToArray();
            var b = Enumerable.Range(0, R).Select(r => Value(r, 1, row.Step, row.Metric, tier, p, q)).ToArray();
            var d = s.Zip(b, (x, y) => x - y).ToArray();
            string what = $"row {i} ({row.Step}, {row.Metric}, {row.Tier}, {row.Platform}, {row.Counterpart})";
            Close(s.Average(), row.ScenarioMean, what + " scenario_mean");
            Close(b.Average(), row.BaselineMean, what + " baseline_mean");
            Statistics(d, row.MeanDifference, row.SdDifference, row.CiLow, row.CiHigh, row.Significant, what);
            Assert.Equal(R, row.Replications);
            if (duck is not null)
            {
                // DuckDB reads the same bits as the project's reader: the file, not only the reader, holds these intervals.
                Assert.Equal(row.CiLow, duck.Double(i, "ci_low"));
                Assert.Equal(row.CiHigh, duck.Double(i, "ci_high"));
                Assert.Equal(row.SdDifference, duck.Double(i, "sd_difference"));
                Assert.Equal(row.MeanDifference, duck.Double(i, "mean_difference"));
            }
        }
    }

    [Fact]
    public async Task ReplicationsParquet_ValuesAreTheOwnRuns_AndEveryComparisonIntervalFollowsFromThem()
    {
        // Issue 29's replications.parquet: R × comparison.parquet's rows, replication by replication in its row order.
        string path = Path.Combine(f.Folder, ReplicationsFile.FileName);
        var reps = await ReplicationsFile.ReadAsync(path);
        var (rows, _) = await ComparisonFile.ReadAsync(Path.Combine(f.Folder, "comparison.parquet"));
        var duck = DuckDbTable.Available ? DuckDbTable.Read(path) : null;
        var dims = f.Result.Runs.Dimensions;
        int n = rows.Count;
        Assert.Equal(R * n, reps.Count);
        for (int r = 0; r < R; r++)
            for (int i = 0; i < n; i++)
            {
                int j = r * n + i;
                var x = reps[j];
                var row = rows[i];
                string what = $"replications row {j} (replication {r}, {row.Step}, {row.Metric}, {row.Tier}, {row.Platform}, {row.Counterpart})";
                Assert.Equal((r, f.Result.Plan.Seeds[r], row.Step, row.Metric, row.Tier, row.Platform, row.Counterpart),
                    (x.Replication, x.Seed, x.Step, x.Metric, x.Tier, x.Platform, x.Counterpart));
                int tier = row.Tier == "all" ? dims.Tiers : dims.TierIds.ToList().IndexOf(row.Tier);
                int p = dims.PlatformIds.ToList().IndexOf(row.Platform);
                int q = row.Counterpart is null ? -1 : dims.PlatformIds.ToList().IndexOf(row.Counterpart);
                Close(Value(r, 0, row.Step, row.Metric, tier, p, q), x.Scenario, what + " scenario");
                Close(Value(r, 1, row.Step, row.Metric, tier, p, q), x.Baseline, what + " baseline");
                Assert.Equal(x.Scenario - x.Baseline, x.Difference);
                if (duck is not null)
                {
                    Assert.Equal(x.Difference, duck.Double(j, "difference"));
                    Assert.Equal(x.Scenario, duck.Double(j, "scenario"));
                    Assert.Equal(x.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), duck.Text(j, "seed"));
                }
            }
        // Every interval of comparison.parquet from the file's own per-replication differences.
        for (int i = 0; i < n; i++)
        {
            var d = Enumerable.Range(0, R).Select(r => reps[r * n + i].Difference).ToArray();
            var row = rows[i];
            Close(Enumerable.Range(0, R).Average(r => reps[r * n + i].Scenario), row.ScenarioMean, $"row {i} scenario_mean");
            Statistics(d, row.MeanDifference, row.SdDifference, row.CiLow, row.CiHigh, row.Significant, $"row {i} from replications.parquet");
        }
    }

    /// <summary>The first step in which any compared value differs between the arms in any replication.</summary>
    private int? FirstDifference()
    {
        for (int k = 0; k < ReferenceComparisonFixture.Steps; k++)
            for (int r = 0; r < R; r++)
            {
                StepMetrics s = f.Own[r][0][k], b = f.Own[r][1][k];
                if (!s.AnnualActive.SequenceEqual(b.AnnualActive) || !s.Primary.SequenceEqual(b.Primary) || !s.Consumers.SequenceEqual(b.Consumers)
                    || !s.GmvFen.SequenceEqual(b.GmvFen) || !s.SuppliedGmvFen.SequenceEqual(b.SuppliedGmvFen) || !s.Flows.SequenceEqual(b.Flows))
                    return k;
            }
        return null;
    }

    [Fact]
    public async Task TotalsParquet_PeriodsCutAtTheYearOfEachStepsFirstDay_AndEveryTotalIsTheHandSum()
    {
        var (rows, _) = await TotalsFile.ReadAsync(Path.Combine(f.Folder, TotalsFile.FileName));
        var dims = f.Result.Runs.Dimensions;
        int T = dims.Tiers, P = dims.Platforms;
        var dates = Enumerable.Range(0, ReferenceComparisonFixture.Steps).Select(k => ReferenceComparisonFixture.Start.AddDays(7 * k)).ToArray();
        // By hand: step 0 (Sat 28 Dec 2019 – Fri 3 Jan 2020) counts in 2019, the year of its first day; steps 1–11 in 2020,
        // to Friday 20 March 2020; the alliance acts from the first step, so the period since the first difference is the
        // whole run, first and last step included.
        Assert.Equal(0, FirstDifference());
        var expected = new (string Id, int First, int Last, DateOnly Start, DateOnly End)[]
        {
            ("2019", 0, 0, new DateOnly(2019, 12, 28), new DateOnly(2020, 1, 3)),
            ("2020", 1, 11, new DateOnly(2020, 1, 4), new DateOnly(2020, 3, 20)),
            (TotalPeriod.SinceFirstDifference, 0, 11, new DateOnly(2019, 12, 28), new DateOnly(2020, 3, 20)),
        };
        Assert.Equal(expected.Select(e => e.Id), rows.Select(r => r.Period).Distinct());
        string[] metrics = ["gmv", "supplied_gmv", "new_users", "churned_users", "switched_in", "switched_out"];
        Assert.Equal(metrics, rows.Select(r => r.Metric).Distinct());
        var duck = DuckDbTable.Available ? DuckDbTable.Read(Path.Combine(f.Folder, TotalsFile.FileName)) : null;
        int checkedRows = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var period = expected.Single(e => e.Id == row.Period);
            Assert.Equal((period.Start, period.End, period.Last - period.First + 1), (row.PeriodStart, row.PeriodEnd, row.Steps));
            int tier = row.Tier == "all" ? T : dims.TierIds.ToList().IndexOf(row.Tier);
            int p = dims.PlatformIds.ToList().IndexOf(row.Platform);
            double Total(int r, int a)
            {
                long sum = 0;
                // Every step whose first day lies in the period, summed one by one.
                for (int k = 0; k < dates.Length; k++)
                {
                    if (dates[k] < period.Start || dates[k] > period.End) continue;
                    var m = f.Own[r][a][k];
                    for (int t = 0; t < T; t++)
                    {
                        if (tier < T && t != tier) continue;
                        int c = t * P + p;
                        sum += row.Metric switch
                        {
                            "gmv" => m.GmvFen[c],
                            "supplied_gmv" => m.SuppliedGmvFen[c],
                            "new_users" => m.New[c],
                            "churned_users" => m.Churned[c],
                            "switched_in" => m.SwitchedIn[c],
                            _ => m.SwitchedOut[c],
                        };
                    }
                }
                double ppa = f.PeoplePerAgent[r][a];
                return row.Unit == "yuan" ? sum * ppa / 100 : sum * ppa;
            }
            var s = Enumerable.Range(0, R).Select(r => Total(r, 0)).ToArray();
            var b = Enumerable.Range(0, R).Select(r => Total(r, 1)).ToArray();
            string what = $"totals row {i} ({row.Period}, {row.Metric}, {row.Tier}, {row.Platform})";
            Assert.Equal(row.Metric is "gmv" or "supplied_gmv" ? "yuan" : "people", row.Unit);
            Close(s.Average(), row.ScenarioTotal, what + " scenario_total");
            Close(b.Average(), row.BaselineTotal, what + " baseline_total");
            Statistics(s.Zip(b, (x, y) => x - y).ToArray(), row.MeanDifference, row.SdDifference, row.CiLow, row.CiHigh, row.Significant, what);
            if (duck is not null)
            {
                Assert.Equal(row.CiLow, duck.Double(i, "ci_low"));
                Assert.Equal(row.CiHigh, duck.Double(i, "ci_high"));
                Assert.Equal(row.ScenarioTotal, duck.Double(i, "scenario_total"));
                Assert.Equal(row.PeriodEnd.ToString("yyyy-MM-dd"), duck.Text(i, "period_end"));
            }
            checkedRows++;
        }
        Assert.Equal(3 * metrics.Length * (T + 1) * P, checkedRows);
        // Not vacuous: the year-end step and the last step both carry GMV, and the alliance moves JD's supplied GMV.
        Assert.Contains(rows, r => r.Period == "2019" && r.Metric == "gmv" && r.ScenarioTotal > 0);
        Assert.Contains(rows, r => r.Period == TotalPeriod.SinceFirstDifference && r.Metric == "supplied_gmv" && r.Tier == "all" && r.MeanDifference > 0);
    }

    /// <summary>Shapley values by their definition: the marginal contribution averaged over every order of the players.</summary>
    private static double[] ShapleyByPermutations(IReadOnlyList<double> v, int n)
    {
        var phi = new double[n];
        int orders = 0;
        foreach (var order in Permutations(Enumerable.Range(0, n).ToArray()))
        {
            int mask = 0;
            foreach (int player in order)
            {
                phi[player] += v[mask | (1 << player)] - v[mask];
                mask |= 1 << player;
            }
            orders++;
        }
        return phi.Select(x => x / orders).ToArray();
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
                yield return [items[i], .. rest];
    }

    /// <summary>An attributed metric of one run by docs/compare.md: a level at the final step, GMV summed over every step.</summary>
    private static double Measure(StepMetrics[] steps, double ppa, string metric, int p)
    {
        var last = steps[^1];
        int T = last.Tiers, P = last.Platforms;
        switch (metric)
        {
            case "annual_active": return Enumerable.Range(0, T).Sum(t => last.AnnualActive[t * P + p]) * ppa;
            case "primary_share": // a fraction, as in comparison.parquet
                long whole = last.Consumers.Sum();
                return whole == 0 ? 0 : (double)Enumerable.Range(0, T).Sum(t => last.Primary[t * P + p]) / whole;
            case "supplied_orders": // a flow in orders: summed over every step, scaled to people like a count
                long orders = 0;
                foreach (var m in steps) for (int t = 0; t < T; t++) orders += m.SuppliedOrders[t * P + p];
                return orders * ppa;
            default: // gmv and supplied_gmv: fen summed over every step, then yuan
                long fen = 0;
                foreach (var m in steps) for (int t = 0; t < T; t++) fen += metric == "gmv" ? m.GmvFen[t * P + p] : m.SuppliedGmvFen[t * P + p];
                return fen * ppa / 100;
        }
    }

    [Fact]
    public async Task AttributionParquet_EveryRowsMeanAndInterval_FromOwnRunsAndShapleyByPermutations()
    {
        var rows = await AttributionFile.ReadAsync(Path.Combine(f.Folder, AttributionFile.FileName));
        var a = f.Attribution;
        int n = a.Clauses.Count, full = (1 << n) - 1;
        Assert.Equal(5, n);   // supply, logistics, traffic, co-promotion, launch
        var dims = a.Dimensions;
        string[] metrics = ["annual_active", "primary_share", "gmv", "supplied_gmv", "supplied_orders"];
        // Every clause switched off, replication 0, simulated here: the "not attributed" corner of the game.
        var plan = f.Result.Plan;
        var off = plan.LoadFresh(Arm.Scenario, 0);
        foreach (var clause in a.Clauses) ScenarioClauses.SwitchOff(off, clause);
        var offModel = new MarketModel(off);
        var offSteps = ReferenceComparisonFixture.Simulate(offModel);
        var duck = DuckDbTable.Available ? DuckDbTable.Read(Path.Combine(f.Folder, AttributionFile.FileName)) : null;
        int i = 0;
        for (int k = 0; k < metrics.Length; k++)
            for (int p = 0; p < dims.Platforms; p++)
            {
                // The game's corners from the test's own runs: every clause on (the scenario arm), the baseline.
                var v = Enumerable.Range(0, R).Select(r => (double[])a.Values[k][p][r].Clone()).ToArray();
                var baseline = new double[R];
                for (int r = 0; r < R; r++)
                {
                    double on = Measure(f.Own[r][0], f.PeoplePerAgent[r][0], metrics[k], p);
                    Assert.Equal(on, v[r][full], 1e-9 * Math.Max(1, Math.Abs(on)));
                    baseline[r] = Measure(f.Own[r][1], f.PeoplePerAgent[r][1], metrics[k], p);
                    Assert.Equal(baseline[r], a.Baseline[k][p][r], 1e-9 * Math.Max(1, Math.Abs(baseline[r])));
                }
                double none = Measure(offSteps, offModel.PeoplePerAgent, metrics[k], p);
                Assert.Equal(none, v[0][0], 1e-9 * Math.Max(1, Math.Abs(none)));
                var phi = v.Select(x => ShapleyByPermutations(x, n)).ToArray();
                var perRow = new List<(string Clause, double[] D)>();
                for (int c = 0; c < n; c++) perRow.Add((a.Clauses[c], phi.Select(x => x[c]).ToArray()));
                perRow.Add(("total", v.Select(x => x[full] - x[0]).ToArray()));
                perRow.Add(("not_attributed", v.Select((x, r) => x[0] - baseline[r]).ToArray()));
                perRow.Add(("scenario_minus_baseline", v.Select((x, r) => x[full] - baseline[r]).ToArray()));
                foreach (var (clause, d) in perRow)
                {
                    var row = rows[i];
                    string what = $"attribution row {i} ({metrics[k]}, {dims.PlatformIds[p]}, {clause})";
                    Assert.Equal((metrics[k], dims.PlatformIds[p], clause), (row.Metric, row.Platform, row.Clause));
                    Statistics(d, row.Mean, row.Sd, row.Low, row.High, null, what, checkSignificance: false);
                    if (duck is not null)
                    {
                        Assert.Equal(row.Low, duck.Double(i, "ci_low"));
                        Assert.Equal(row.High, duck.Double(i, "ci_high"));
                        Assert.Equal(row.Sd, duck.Double(i, "sd"));
                        Assert.Equal(R, duck.Long(i, "replications"));
                    }
                    i++;
                }
            }
        Assert.Equal(rows.Count, i);
        // Not vacuous: some clause moves JD's GMV over the run with a non-zero spread.
        Assert.Contains(rows, r => r.Metric == "gmv" && r.Clause.StartsWith("alliances.", StringComparison.Ordinal) && r.Sd > 0);
    }
}

/// <summary>Issue 32, item 3: the periods of totals.parquet by hand, for steps that start mid-week and cross a year end.</summary>
public sealed class TotalPeriodTests
{
    [Fact]
    public void Of_SaturdaySteps_DifferenceFromTheLastStepOfTheYear_CutsByEachStepsFirstDay()
    {
        // Saturdays 14, 21, 28 December 2019, then 4, 11, 18 January 2020; the runs first differ in the step of 28 December.
        var dates = Enumerable.Range(0, 6).Select(k => new DateOnly(2019, 12, 14).AddDays(7 * k)).ToArray();
        var periods = TotalPeriod.Of(dates, 7, firstDifferentStep: 2);
        Assert.Equal(
        [
            new TotalPeriod("2019", 0, 2, new DateOnly(2019, 12, 14), new DateOnly(2020, 1, 3)),
            new TotalPeriod("2020", 3, 5, new DateOnly(2020, 1, 4), new DateOnly(2020, 1, 24)),
            new TotalPeriod(TotalPeriod.SinceFirstDifference, 2, 5, new DateOnly(2019, 12, 28), new DateOnly(2020, 1, 24)),
        ], periods);
        Assert.Equal([3, 3, 4], periods.Select(p => p.Steps));
    }

    [Fact]
    public void Of_FortnightSteps_NoDifference_OneStepYearsAndNoSincePeriod()
    {
        // Fortnights from Tuesday 24 December 2019: the first covers 24 Dec – 6 Jan (year 2019), the last ends 2 March 2020.
        var dates = Enumerable.Range(0, 5).Select(k => new DateOnly(2019, 12, 24).AddDays(14 * k)).ToArray();
        var periods = TotalPeriod.Of(dates, 14, firstDifferentStep: null);
        Assert.Equal(
        [
            new TotalPeriod("2019", 0, 0, new DateOnly(2019, 12, 24), new DateOnly(2020, 1, 6)),
            new TotalPeriod("2020", 1, 4, new DateOnly(2020, 1, 7), new DateOnly(2020, 3, 2)),
        ], periods);
    }
}
