using MarketSim.Calibration;
using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Calibration;

/// <summary>
/// <see cref="CalibrationTracker"/> against docs/calibration.md's one definition of each metric, on six hand-made weekly
/// steps whose every count differs by tier, platform and step, so that reading the wrong step, tier, platform or
/// array, or weighting a step wrongly, changes the value. Three tiers (t1, t2, t3), three platforms (a, b, c) with 1.5,
/// 2 and 1 accounts per user, 250 people per agent; step k runs from Monday 2019-01-07 + 7k for 7 days, so the run
/// covers 2019-01-07 … 2019-02-17. Expected values are worked out by hand in the comments.
/// </summary>
public sealed class CalibrationTrackerTests
{
    private static readonly ModelDimensions Dims =
        new(["t1", "t2", "t3"], ["T1", "T2", "T3"], ["a", "b", "c"], ["A", "B", "C"], ["#000000", "#111111", "#222222"], 250, 7);
    private static readonly double[] AccountsPerUser = [1.5, 2.0, 1.0];
    private static readonly DateOnly Start = new(2019, 1, 7);
    private const int Steps = 6;

    // The step data, per tier t, platform p, step k (all 0-based).
    private static long AnnualActive(int t, int p, int k) => 100 * (t + 1) + 10 * p + k;
    private static long Consumers(int t, int k) => 1000 * (t + 1) + 10 * k;
    private static long Gmv(int t, int p, int k) => 700 * (1 + t + 3 * p) * (1 + k + t * k);
    private static long New(int t, int p, int k) => 1 + t + 2 * p + k * (t + 1) * (t + 1);
    private static long Both(int t, int p, int q, int k) => p == q ? AnnualActive(t, p, k) : 5 * (t + 1) + p + q + k;

    private static StepMetrics Week(int k)
    {
        var m = new StepMetrics(3, 3) { Step = k, Date = Start.AddDays(7 * k) };
        for (int t = 0; t < 3; t++)
        {
            m.Consumers[t] = Consumers(t, k);
            for (int p = 0; p < 3; p++)
            {
                m.AnnualActive[m.At(t, p)] = AnnualActive(t, p, k);
                m.GmvFen[m.At(t, p)] = Gmv(t, p, k);
                m.New[m.At(t, p)] = New(t, p, k);
                // Arrays the tracker must not read hold values that would show if it did.
                m.PeriodActive[m.At(t, p)] = 99_999;
                m.Primary[m.At(t, p)] = 77_777;
                m.Orders[m.At(t, p)] = 55_555;
                m.SuppliedGmvFen[m.At(t, p)] = 33_333_333;
                for (int q = 0; q < 3; q++) m.Overlap[m.At(t, p, q)] = Both(t, p, q, k);
            }
            m.Arrivals[t] = 4_444;
        }
        return m;
    }

    private static CalibrationTargetSpec Target(string metric, string platform, DateOnly date, DateOnly? start = null,
        string[]? tiers = null, string with = "") => new()
        {
            Metric = metric,
            Platform = platform,
            Date = date,
            PeriodStart = start,
            Tiers = [.. tiers ?? []],
            With = with,
            Value = 1,
            Unit = CalibrationMetric.UnitOf(metric),
        };

    private static IReadOnlyList<CalibrationRow> Run(IReadOnlyList<double> accountsPerUser, params CalibrationTargetSpec[] targets)
    {
        var tracker = new CalibrationTracker(Dims, accountsPerUser, targets);
        for (int k = 0; k < Steps; k++) tracker.Observe(Week(k));
        return tracker.Rows;
    }

    private static IReadOnlyList<CalibrationRow> Run(params CalibrationTargetSpec[] targets) => Run(AccountsPerUser, targets);

    private static double Simulated(CalibrationTargetSpec target) => Assert.Single(Run(target)).Simulated;

    private static DateOnly D(int month, int day) => new(2019, month, day);

    [Fact]
    public void Level_DatedOnAStepsFirstOrLastDay_IsReadAtThatStep_AndRowsComeInTheOrderDatesAreReached()
    {
        var rows = Run(
            Target(CalibrationMetric.AnnualActive, "a", D(1, 21)),   // first day of step 2
            Target(CalibrationMetric.AnnualActive, "a", D(1, 14)),   // first day of step 1
            Target(CalibrationMetric.AnnualActive, "b", D(1, 20)),   // last day of step 1
            Target(CalibrationMetric.AnnualActive, "c", D(1, 13)),   // last day of step 0
            Target(CalibrationMetric.AnnualActive, "a", D(2, 17)));  // last day of the run (step 5)
        // Step 0 first, then step 1 in scenario order, then step 2, then step 5.
        Assert.Equal([3, 1, 2, 0, 4], rows.Select(r => r.Target));
        // a, step 2: users 102 + 202 + 302 = 606 agents × 1.5 accounts × 250 people / 1e6.
        Assert.Equal(606 * 1.5 * 250 / 1e6, rows[3].Simulated, 12);
        // a, step 1: 101 + 201 + 301 = 603.
        Assert.Equal(603 * 1.5 * 250 / 1e6, rows[1].Simulated, 12);
        // b, step 1: 111 + 211 + 311 = 633, 2 accounts per user.
        Assert.Equal(633 * 2.0 * 250 / 1e6, rows[2].Simulated, 12);
        // c, step 0: 120 + 220 + 320 = 660, 1 account per user.
        Assert.Equal(660 * 1.0 * 250 / 1e6, rows[0].Simulated, 12);
        // a, step 5: 105 + 205 + 305 = 615.
        Assert.Equal(615 * 1.5 * 250 / 1e6, rows[4].Simulated, 12);
    }

    [Fact]
    public void AnnualActive_OfSomeTiers_IsTheirUsersTimesThatPlatformsAccountsPerUser()
    {
        // Step 4 (2019-02-04 … 02-10). c, t2 only: 224 users × 1 account.
        Assert.Equal(224 * 1.0 * 250 / 1e6, Simulated(Target(CalibrationMetric.AnnualActive, "c", D(2, 7), tiers: ["t2"])), 12);
        // b, t1 and t3: 114 + 314 = 428 users × 2 accounts.
        Assert.Equal(428 * 2.0 * 250 / 1e6, Simulated(Target(CalibrationMetric.AnnualActive, "b", D(2, 7), tiers: ["t3", "t1"])), 12);
        // The factor is the one passed in, per platform: with 3 accounts per user on b the same figure is 1.5 times larger.
        var row = Assert.Single(Run([1.5, 3.0, 1.0], Target(CalibrationMetric.AnnualActive, "b", D(2, 7), tiers: ["t3", "t1"])));
        Assert.Equal(428 * 3.0 * 250 / 1e6, row.Simulated, 12);
    }

    [Fact]
    public void OnlineShoppers_CountsTheSelectedTiersConsumersAtTheDate()
    {
        // Step 3 (2019-01-28 … 02-03), read on its last day: 1030 + 2030 + 3030 consumers.
        Assert.Equal(6090 * 250 / 1e6, Simulated(Target(CalibrationMetric.OnlineShoppers, "all", D(2, 3))), 12);
        // t1 and t3 only: 1030 + 3030 (accounts per user never apply to shoppers).
        Assert.Equal(4060 * 250 / 1e6, Simulated(Target(CalibrationMetric.OnlineShoppers, "all", D(2, 3), tiers: ["t3", "t1"])), 12);
    }

    [Fact]
    public void FiguresDatedOutsideTheRun_AreNotCompared()
    {
        var rows = Run(
            Target(CalibrationMetric.OnlineShoppers, "all", D(1, 6)),                              // the day before the run
            Target(CalibrationMetric.OnlineShoppers, "all", D(2, 18)),                             // the day after it
            Target(CalibrationMetric.Gmv, "a", D(2, 18), D(1, 14)),                                // a period ending after it
            Target(CalibrationMetric.Gmv, "a", new DateOnly(2018, 12, 31), new DateOnly(2018, 12, 1)), // one before it
            Target(CalibrationMetric.OnlineShoppers, "all", D(1, 7)));                             // its first day: compared
        var row = Assert.Single(rows);
        Assert.Equal(4, row.Target);
        Assert.Equal(6000 * 250 / 1e6, row.Simulated, 12);   // step 0: 1000 + 2000 + 3000
    }

    [Fact]
    public void Gmv_SumsTheOverlappingSteps_EachWeightedByItsShareOfDaysInsideThePeriod()
    {
        // 2019-01-10 … 01-30 (21 days, all in the run): 4 of step 0's days, steps 1 and 2 whole, 3 of step 3's.
        // Platform b, all tiers: Gmv(t, b, k) = 700 (4 + t)(1 + k + tk), i.e. per step 10500, 32900, 55300, 77700 fen:
        // 4/7 × 10500 + 32900 + 55300 + 3/7 × 77700 = 6000 + 32900 + 55300 + 33300 = 127500 fen per agent.
        // × 250 people / 100 fen per yuan / 1e9 = 3.1875e-4 billion yuan.
        Assert.Equal(3.1875e-4, Simulated(Target(CalibrationMetric.Gmv, "b", D(1, 30), D(1, 10))), 15);
        // Every platform, tier t2 only: Gmv(1, p, k) summed over p = 10500 (1 + 2k) → 10500, 31500, 52500, 73500:
        // 4/7 × 10500 + 31500 + 52500 + 3/7 × 73500 = 6000 + 31500 + 52500 + 31500 = 121500 fen → 3.0375e-4.
        Assert.Equal(3.0375e-4, Simulated(Target(CalibrationMetric.Gmv, "all", D(1, 30), D(1, 10), ["t2"])), 15);
    }

    [Fact]
    public void Gmv_OfAPeriodInsideOneStep_IsThatStepsShareOfDays()
    {
        // Platform a, step 1: Gmv(t, a, 1) = 700 (1 + t)(2 + t) → 1400 + 4200 + 8400 = 14000 fen.
        // 2019-01-15 … 01-17: 3 of its 7 days → 6000 fen → × 250 / 100 / 1e9.
        Assert.Equal(6000 * 250 / 100 / 1e9, Simulated(Target(CalibrationMetric.Gmv, "a", D(1, 17), D(1, 15))), 15);
        // One day, the step's first: 14000 / 7 = 2000 fen.
        Assert.Equal(2000 * 250 / 100 / 1e9, Simulated(Target(CalibrationMetric.Gmv, "a", D(1, 14), D(1, 14))), 15);
        // One day, step 0's last: Gmv(t, a, 0) = 700 (1 + t) → 4200 fen / 7 = 600.
        Assert.Equal(600 * 250 / 100 / 1e9, Simulated(Target(CalibrationMetric.Gmv, "a", D(1, 13), D(1, 13))), 15);
    }

    [Fact]
    public void Flow_CoveredForExactlyMinCoverage_IsScaledUp_AndOneCoveredLessIsNotCompared()
    {
        // 2019-01-04 … 02-02: 30 days, of which the run covers 27 (01-07 … 02-02) = exactly 90 %: compared, × 30/27.
        // Platform a, all tiers, per step 4200, 14000, 23800, 33600 fen; step 3 has 6 days inside (01-28 … 02-02):
        // 4200 + 14000 + 23800 + 6/7 × 33600 = 70800 fen.
        // 2019-01-03 … 02-02: 31 days, 27 covered (87 %): not compared.
        var rows = Run(
            Target(CalibrationMetric.Gmv, "a", D(2, 2), D(1, 4)),
            Target(CalibrationMetric.Gmv, "a", D(2, 2), D(1, 3)));
        var row = Assert.Single(rows);
        Assert.Equal(0, row.Target);
        Assert.Equal(70800 * 30.0 / 27 * 250 / 100 / 1e9, row.Simulated, 15);
    }

    [Fact]
    public void SpendPerBuyer_IsPeriodGmvOverAccountsAtThePeriodsEnd_ScaledLikeGmv()
    {
        // 2019-01-14 … 01-27 = steps 1 and 2; platform a, tiers t1 and t2: 1400 + 4200 + 2100 + 7000 = 14700 fen = 147 yuan
        // per agent; accounts at step 2: (102 + 202) users × 1.5 = 456 per agent. People per agent cancel.
        Assert.Equal(147.0 / 456, Simulated(Target(CalibrationMetric.SpendPerBuyer, "a", D(1, 27), D(1, 14), ["t1", "t2"])), 12);
        // 2019-01-06 … 01-20: 15 days, 14 covered (93 %): platform b's 10500 + 32900 = 43400 fen × 15/14 = 46500 fen =
        // 465 yuan over 633 users × 2 accounts at step 1.
        Assert.Equal(465.0 / 1266, Simulated(Target(CalibrationMetric.SpendPerBuyer, "b", D(1, 20), D(1, 6))), 12);
    }

    [Fact]
    public void UsersShare_IsTheTiersShareOfThePlatformsAnnualActiveUsers()
    {
        // Step 4, platform c: 124, 224, 324 users; t1 + t3 = 448 of 672.
        Assert.Equal(448.0 / 672, Simulated(Target(CalibrationMetric.UsersShare, "c", D(2, 7), tiers: ["t1", "t3"])), 12);
        // Step 0, platform a: 100, 200, 300; t2 = 200 of 600 (a share of users, so accounts per user do not enter).
        Assert.Equal(200.0 / 600, Simulated(Target(CalibrationMetric.UsersShare, "a", D(1, 7), tiers: ["t2"])), 12);
    }

    [Fact]
    public void GmvShare_IsTheTiersShareOfThePeriodsWeightedGmv()
    {
        // 2019-01-10 … 01-30, weights 4/7, 1, 1, 3/7. Platform a, t3: Gmv(2, a, k) = 2100 (1 + 3k) → 2100, 8400, 14700, 21000:
        // 1200 + 8400 + 14700 + 9000 = 33300; all tiers 4200, 14000, 23800, 33600 → 2400 + 14000 + 23800 + 14400 = 54600.
        // (Unweighted it would be 46200 / 75600.)
        Assert.Equal(33300.0 / 54600, Simulated(Target(CalibrationMetric.GmvShare, "a", D(1, 30), D(1, 10), ["t3"])), 12);
        // Every platform, t1: 8400 (1 + k) → 4800 + 16800 + 25200 + 14400 = 61200; every tier and platform:
        // 31500, 98700, 165900, 233100 → 18000 + 98700 + 165900 + 99900 = 382500.
        Assert.Equal(61200.0 / 382500, Simulated(Target(CalibrationMetric.GmvShare, "all", D(1, 30), D(1, 10), ["t1"])), 12);
    }

    [Fact]
    public void NewCustomersShare_IsTheTiersShareOfThePeriodsWeightedNewCustomers()
    {
        // 2019-01-10 … 01-30, platform b, t2: New(1, b, k) = 4 + 4k → 4, 8, 12, 16: 16/7 + 8 + 12 + 48/7 = 204/7;
        // every tier: 12 + 14k → 12, 26, 40, 54: 48/7 + 26 + 40 + 162/7 = 672/7. (Unweighted: 40 / 132.)
        Assert.Equal(204.0 / 672, Simulated(Target(CalibrationMetric.NewCustomersShare, "b", D(1, 30), D(1, 10), ["t2"])), 12);
    }

    [Fact]
    public void Overlap_IsTheShareOfTheSmallerPlatformsUsersAlsoOnTheOther_WhicheverIsNamedFirst()
    {
        // Step 2, tiers t2 and t3. a and c: both 14 + 19 = 33; a has 202 + 302 = 504 users, c 222 + 322 = 544: 33 / 504.
        Assert.Equal(33.0 / 504, Simulated(Target(CalibrationMetric.Overlap, "a", D(1, 23), tiers: ["t2", "t3"], with: "c")), 12);
        Assert.Equal(33.0 / 504, Simulated(Target(CalibrationMetric.Overlap, "c", D(1, 23), tiers: ["t2", "t3"], with: "a")), 12);
        // All tiers, c with b: both 10 + 15 + 20 = 45; b has 112 + 212 + 312 = 636, c 666: the smaller is the second named.
        Assert.Equal(45.0 / 636, Simulated(Target(CalibrationMetric.Overlap, "c", D(1, 23), with: "b")), 12);
    }

    [Fact]
    public void EmptyDenominators_GiveZero_NotNaN()
    {
        var targets = new[]
        {
            Target(CalibrationMetric.SpendPerBuyer, "a", D(1, 13), D(1, 7)),
            Target(CalibrationMetric.UsersShare, "a", D(1, 13), tiers: ["t1"]),
            Target(CalibrationMetric.GmvShare, "a", D(1, 13), D(1, 7), ["t1"]),
            Target(CalibrationMetric.NewCustomersShare, "a", D(1, 13), D(1, 7), ["t1"]),
            Target(CalibrationMetric.Overlap, "a", D(1, 13), with: "b"),
        };
        var tracker = new CalibrationTracker(Dims, AccountsPerUser, targets);
        tracker.Observe(new StepMetrics(3, 3) { Step = 0, Date = Start });
        Assert.Equal(5, tracker.Rows.Count);
        Assert.All(tracker.Rows, r => Assert.Equal(0.0, r.Simulated));
    }

    [Fact]
    public void Row_CarriesTheTargetsOwnFields()
    {
        var gmv = new CalibrationTargetSpec
        {
            Metric = CalibrationMetric.Gmv,
            Platform = "b",
            PeriodStart = D(1, 10),
            Date = D(1, 30),
            Tiers = ["t3", "t1"],
            Value = 4.5,
            Unit = "billion_yuan",
            Tolerance = 0.07,
            Weight = 0.25,
            InSample = false,
            Source = "report p. 3",
        };
        var overlap = new CalibrationTargetSpec
        {
            Metric = CalibrationMetric.Overlap,
            Platform = "a",
            With = "c",
            Date = D(1, 23),
            Value = 0.4,
            Unit = "share",
        };
        var rows = Run(overlap, gmv);
        var o = rows[0];
        Assert.Equal((0, null, D(1, 23), "a", "c", "all", "overlap", "share", 0.4, 0.1, 1.0, true, ""),
            (o.Target, o.PeriodStart, o.Date, o.Platform, o.With, o.Tiers, o.Metric, o.Unit, o.Reported, o.Tolerance, o.Weight, o.InSample, o.Source));
        var g = rows[1];
        Assert.Equal((1, (DateOnly?)D(1, 10), D(1, 30), "b", "", "t3;t1", "gmv", "billion_yuan", 4.5, 0.07, 0.25, false, "report p. 3"),
            (g.Target, g.PeriodStart, g.Date, g.Platform, g.With, g.Tiers, g.Metric, g.Unit, g.Reported, g.Tolerance, g.Weight, g.InSample, g.Source));
    }

    [Fact]
    public void UnknownPlatformOrMetric_AndMissingArguments_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new CalibrationTracker(Dims, AccountsPerUser, [Target(CalibrationMetric.AnnualActive, "z", D(1, 8))]));
        Assert.Throws<ArgumentException>(() => new CalibrationTracker(Dims, AccountsPerUser, [Target(CalibrationMetric.Overlap, "a", D(1, 8), with: "z")]));
        Assert.Throws<ArgumentNullException>(() => new CalibrationTracker(null!, AccountsPerUser, []));
        Assert.Throws<ArgumentNullException>(() => new CalibrationTracker(Dims, null!, []));
        Assert.Throws<ArgumentNullException>(() => new CalibrationTracker(Dims, AccountsPerUser, null!));
        var tracker = new CalibrationTracker(Dims, AccountsPerUser, [Target("churn", "a", D(1, 15))]);
        Assert.Throws<ArgumentNullException>(() => tracker.Observe(null!));
        tracker.Observe(Week(0));   // the date is not reached yet: nothing to define
        Assert.Throws<InvalidOperationException>(() => tracker.Observe(Week(1)));
    }

    // ---- With a compiled model: its own targets, dimensions and accounts per user, and Covers. ----

    /// <summary>The flat test scenario (tiers t1, t2; platforms a, b, c; weeks from 2019-01-07), six steps.</summary>
    private static Scenario Flat()
    {
        var s = TestScenarios.Flat(agents: 10_000, steps: Steps);
        s.Platforms["b"].AccountsPerUser = 1.25;
        return s;
    }

    [Fact]
    public void ModelTracker_UsesTheScenariosTargets_PeoplePerAgentAndAccountsPerUser()
    {
        var s = Flat();
        s.Calibration.Add(Target(CalibrationMetric.AnnualActive, "b", D(1, 9)));
        var model = new MarketModel(s);
        var m = new StepMetrics(2, 3) { Step = 0, Date = Start };
        m.AnnualActive[m.At(0, 1)] = 40;
        m.AnnualActive[m.At(1, 1)] = 60;
        m.AnnualActive[m.At(0, 0)] = 1000;

        var own = new CalibrationTracker(model);
        own.Observe(m);
        // 100 M shoppers / 10 000 agents = 10 000 people per agent; b's users 40 + 60, 1.25 accounts each.
        Assert.Equal(100 * 1.25 * 10_000 / 1e6, Assert.Single(own.Rows).Simulated, 12);

        var given = new CalibrationTracker(model, [Target(CalibrationMetric.AnnualActive, "a", D(1, 9), tiers: ["t1"])]);
        given.Observe(m);
        Assert.Equal(1000 * 1.0 * 10_000 / 1e6, Assert.Single(given.Rows).Simulated, 12);
    }

    [Theory]
    [InlineData(null, "2019-01-07", true)]         // the run's first day
    [InlineData(null, "2019-01-06", false)]        // the day before
    [InlineData(null, "2019-02-17", true)]         // the run's last day (6 weeks)
    [InlineData(null, "2019-02-18", false)]        // the day after
    [InlineData("2019-01-04", "2019-02-02", true)]  // 27 of 30 days: exactly 90 %
    [InlineData("2019-01-03", "2019-02-02", false)] // 27 of 31
    [InlineData("2019-01-10", "2019-01-30", true)]  // inside the run
    [InlineData("2019-01-10", "2019-02-18", false)] // ends after the run
    public void Covers_AgreesWithWhatTheTrackerCompares(string? from, string to, bool expected)
    {
        var target = Target(from is null ? CalibrationMetric.OnlineShoppers : CalibrationMetric.Gmv, from is null ? "all" : "a",
            DateOnly.Parse(to), from is null ? null : DateOnly.Parse(from));
        var model = new MarketModel(Flat());
        Assert.Equal(expected, CalibrationTracker.Covers(model, target));
        var tracker = new CalibrationTracker(model, [target]);
        for (int k = 0; k < Steps; k++) tracker.Observe(new StepMetrics(2, 3) { Step = k, Date = Start.AddDays(7 * k) });
        Assert.Equal(expected ? 1 : 0, tracker.Rows.Count);
    }

    [Fact]
    public void Covers_RefusesMissingArguments()
    {
        var model = new MarketModel(Flat());
        Assert.Throws<ArgumentNullException>(() => CalibrationTracker.Covers(null!, Target(CalibrationMetric.Gmv, "a", D(1, 9), D(1, 8))));
        Assert.Throws<ArgumentNullException>(() => CalibrationTracker.Covers(model, null!));
    }
}
