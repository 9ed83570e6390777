using MarketSim.Engine;
using MarketSim.Model;
using MarketSim.Scenarios;

namespace MarketSim.Tests.Engine;

/// <summary>
/// Property tests: random *valid* scenarios drawn from the declared limits (<see cref="ScenarioLimit"/>: what the
/// validator allows, not what is plausible), each run small, and the engine's invariants checked at every step:
/// primary users sum to the consumers who use at least one platform (counted from the agents themselves), the stock-flow
/// identities (consumers grow by arrivals, annual-active users by new minus churned, switches in and out are the flow
/// matrix's margins), counts and shares within [0, 1] of what contains them, and the same metrics at 1 and 2 threads.
/// The draws are seeded, so a failure names a case that replays.
/// </summary>
public sealed class ScenarioPropertyTests
{
    private const int Cases = 200;
    private const long Agents = 3_000;
    private const int Steps = 26;

    /// <summary>
    /// Draw spans for limits without an upper end (and for a few whose end would make a small run large): the values a
    /// run can take in a test's time. Keys are a path's last segment.
    /// </summary>
    private static readonly Dictionary<string, (double Lo, double Hi)> Caps = new(StringComparer.Ordinal)
    {
        ["ramp_days"] = (0, 400),
        ["multiply"] = (0, 3),
        ["burn_in_steps"] = (0, 8),
        ["steps"] = (1, Steps),
        ["lead_days"] = (0, 60),
    };

    /// <summary>Values the draws leave alone: the run's size (kept small) and the calendar's step length (kept weekly).</summary>
    private static readonly HashSet<string> Fixed = new(StringComparer.Ordinal)
    {
        "population.agents", "population.cohorts_per_tier", "calendar.step_days",
    };

    /// <summary>The base: three tiers, four platforms, streamers, festivals and an alliance acting from the second month.</summary>
    private static Scenario Base(ulong seed)
    {
        var s = TestScenarios.WithAlliance(TestScenarios.Small(Agents, Steps, seed), new DateOnly(2019, 2, 4));
        s.Population.CohortsPerTier = 32;
        s.Calendar.BurnInSteps = 2;
        return s;
    }

    /// <summary>
    /// Case <paramref name="index"/>: up to 10 values with limits, each drawn within them (an end with probability ¼,
    /// where bugs live); a draw the validator refuses (a sum over platforms, a cross-reference) is put back. Null when
    /// no valid scenario came of it.
    /// </summary>
    public static Scenario? Draw(int index)
    {
        var rng = new Random(20_261_207 + index);
        var s = Base((ulong)(1000 + index));
        var values = ScenarioValues.Of(s).Where(v => v.Limit is not null && v.IsNumber && !Fixed.Contains(v.Path)).ToList();
        int count = 1 + rng.Next(10);
        var drawn = new List<(ScenarioValue Value, object? Before)>();
        for (int k = 0; k < count; k++)
        {
            var v = values[rng.Next(values.Count)];
            var limit = v.Limit!;
            string last = v.Path.Split('.')[^1];
            double lo = limit.Min, hi = limit.Max;
            if (Caps.TryGetValue(last, out var cap)) (lo, hi) = (Math.Max(lo, cap.Lo), Math.Min(hi, cap.Hi));
            if (double.IsNegativeInfinity(lo)) lo = v.Number - 2 - Math.Abs(v.Number);
            if (double.IsPositiveInfinity(hi) || hi >= int.MaxValue) hi = Math.Max(lo + 1, 2 * Math.Abs(v.Number) + 1);
            if (limit.MinOpen) lo += limit.Whole ? 1 : (hi - lo) * 1e-3;
            double x = rng.Next(4) switch
            {
                0 => rng.Next(2) == 0 ? lo : hi,
                _ => lo + rng.NextDouble() * (hi - lo),
            };
            if (limit.Whole) x = Math.Round(x);
            drawn.Add((v, v.Get()));
            v.SetNumber(x);
        }
        // Put back what the validator refuses, last drawn first, until the scenario is valid.
        for (int k = drawn.Count - 1; k >= 0 && ScenarioValidator.Validate(s).Count > 0; k--) drawn[k].Value.Set(drawn[k].Before);
        return ScenarioValidator.Validate(s).Count == 0 ? s : null;
    }

    /// <summary>Every step's metrics, and per step and tier the arrived agents and those with at least one platform.</summary>
    public sealed record Run(List<StepMetrics> Metrics, List<long[]> Arrived, List<long[]> Users);

    public static Run Simulate(Scenario s, int threads)
    {
        var model = new MarketModel(s);
        var sim = new Simulation(model, threads);
        var run = new Run([], [], []);
        while (!sim.Done)
        {
            run.Metrics.Add(sim.Step());
            var arrived = new long[model.T];
            var users = new long[model.T];
            for (int c = 0; c < sim.AgentChunkCount; c++)
            {
                var view = sim.ViewAgents(c);
                arrived[view.Tier] += view.Count;
                for (int i = 0; i < view.Count; i++)
                    if (view.PlatformSet[i] != 0) users[view.Tier]++;
            }
            run.Arrived.Add(arrived);
            run.Users.Add(users);
        }
        return run;
    }

    /// <summary>Every invariant the engine must keep; the first one broken, or null.</summary>
    public static string? Broken(Run run)
    {
        for (int k = 0; k < run.Metrics.Count; k++)
        {
            var m = run.Metrics[k];
            int T = m.Tiers, P = m.Platforms;
            foreach (var array in m.CountArrays)
                if (array.Any(x => x < 0)) return $"step {k}: a negative count";
            for (int t = 0; t < T; t++)
            {
                if (m.Consumers[t] != run.Arrived[k][t]) return $"step {k} tier {t}: consumers {m.Consumers[t]} ≠ arrived agents {run.Arrived[k][t]}";
                long primary = Enumerable.Range(0, P).Sum(p => m.Primary[m.At(t, p)]);
                if (primary != run.Users[k][t]) return $"step {k} tier {t}: primary users {primary} ≠ consumers using a platform {run.Users[k][t]}";
                if (k > 0 && m.Consumers[t] != run.Metrics[k - 1].Consumers[t] + m.Arrivals[t])
                    return $"step {k} tier {t}: consumers {m.Consumers[t]} ≠ previous {run.Metrics[k - 1].Consumers[t]} + arrivals {m.Arrivals[t]}";
                for (int p = 0; p < P; p++)
                {
                    int i = m.At(t, p);
                    if (k > 0 && m.AnnualActive[i] != run.Metrics[k - 1].AnnualActive[i] + m.New[i] - m.Churned[i])
                        return $"step {k} tier {t} platform {p}: annual-active {m.AnnualActive[i]} ≠ previous {run.Metrics[k - 1].AnnualActive[i]} + new {m.New[i]} − churned {m.Churned[i]}";
                    long outFlow = Enumerable.Range(0, P).Sum(q => m.Flows[m.At(t, p, q)]);
                    long inFlow = Enumerable.Range(0, P).Sum(q => m.Flows[m.At(t, q, p)]);
                    if (outFlow != m.SwitchedOut[i] || inFlow != m.SwitchedIn[i])
                        return $"step {k} tier {t} platform {p}: flows out {outFlow} / in {inFlow} ≠ switched out {m.SwitchedOut[i]} / in {m.SwitchedIn[i]}";
                    if (m.Flows[m.At(t, p, p)] != 0) return $"step {k} tier {t} platform {p}: a switch to itself";
                    // Shares of what contains them: within [0, 1].
                    foreach (var (name, part, whole) in new[]
                             {
                                 ("primary share", m.Primary[i], m.Consumers[t]), ("annual-active share", m.AnnualActive[i], m.Consumers[t]),
                                 ("period-active share of annual-active", m.PeriodActive[i], m.AnnualActive[i]),
                             })
                        if (MetricScale.Fraction(part, whole) is var f && f is < 0 or > 1)
                            return $"step {k} tier {t} platform {p}: {name} {f}";
                    for (int q = 0; q < P; q++)
                        if (m.Overlap[m.At(t, p, q)] > Math.Min(m.AnnualActive[i], m.AnnualActive[m.At(t, q)]) || m.Overlap[m.At(t, p, q)] != m.Overlap[m.At(t, q, p)])
                            return $"step {k} tier {t}: overlap of platforms {p} and {q} larger than either or not symmetric";
                    if (m.Overlap[m.At(t, p, p)] != m.AnnualActive[i]) return $"step {k} tier {t} platform {p}: overlap diagonal ≠ annual-active";
                }
            }
        }
        return null;
    }

    /// <summary>The first difference between two runs' metrics, or null.</summary>
    public static string? Differs(Run a, Run b)
    {
        if (a.Metrics.Count != b.Metrics.Count) return $"{a.Metrics.Count} steps against {b.Metrics.Count}";
        for (int k = 0; k < a.Metrics.Count; k++)
        {
            var (x, y) = (a.Metrics[k].CountArrays, b.Metrics[k].CountArrays);
            for (int j = 0; j < x.Count; j++)
                if (!x[j].AsSpan().SequenceEqual(y[j])) return $"step {k}: count array {j} differs";
        }
        return null;
    }

    public static TheoryData<int> Batches => [0, 1, 2, 3];

    [Theory]
    [MemberData(nameof(Batches))]
    public void RandomValidScenarios_KeepTheEngineInvariants_AndAreThreadCountIndependent(int batch)
    {
        int valid = 0;
        // Four batches of Cases / 4, so that xunit runs them side by side and a failure names a smaller range.
        for (int index = batch * Cases / 4; index < (batch + 1) * Cases / 4; index++)
        {
            if (Draw(index) is not { } s) continue;
            valid++;
            var one = Simulate(s, threads: 1);
            Assert.True(Broken(one) is null, $"case {index}: {Broken(one)}; drawn: {Drawn(s)}");
            var two = Simulate(s, threads: 2);
            Assert.True(Differs(one, two) is null, $"case {index}: 1 and 2 threads: {Differs(one, two)}; drawn: {Drawn(s)}");
        }
        // Put-back draws must leave most cases valid, or the property would hold over the base scenario alone.
        Assert.True(valid >= Cases / 4 * 3 / 4, $"only {valid} of {Cases / 4} draws gave a valid scenario");
    }

    /// <summary>The values of <paramref name="s"/> that differ from the base: what a failing case drew.</summary>
    private static string Drawn(Scenario s)
    {
        var before = ScenarioValues.Of(Base(s.Seed)).ToDictionary(v => v.Path, v => v.Get());
        return string.Join(", ", ScenarioValues.Of(s).Where(v => !Equals(before.GetValueOrDefault(v.Path), v.Get())).Select(v => $"{v.Path}={v.Get()}"));
    }

    [Fact]
    public void Draws_VaryTheScenario_WithinTheLimits()
    {
        // The draws change values (else the property holds over one scenario), and every drawn value is within its limits.
        int changed = 0;
        for (int index = 0; index < 20; index++)
        {
            if (Draw(index) is not { } s) continue;
            if (Drawn(s).Length > 0) changed++;
            Assert.All(ScenarioValues.Of(s).Where(v => v.Limit is not null && v.IsNumber), v => Assert.True(v.Limit!.Allows(v.Number), v.Path));
        }
        Assert.True(changed >= 12, $"only {changed} of 20 draws changed the base scenario");
    }

    [Fact]
    public void Invariants_OnAPlantedBreak_AreReported()
    {
        // The checks are not vacuous: each bug they are there for, planted in a copy of a real run, is named.
        var run = Simulate(Base(5), threads: 1);
        Assert.Null(Broken(run));
        var m = run.Metrics[^1];
        int i = Array.FindIndex(m.Primary, x => x > 0);

        m.Primary[i]++;   // a primary user counted twice
        Assert.Contains("primary users", Broken(run));
        m.Primary[i]--;

        run.Metrics[^1].New[i]++;   // a new user not in the stock
        Assert.Contains("annual-active", Broken(run));
        run.Metrics[^1].New[i]--;

        run.Metrics[^1].Arrivals[0]++;   // an arrival that never came
        Assert.Contains("arrivals", Broken(run));
        run.Metrics[^1].Arrivals[0]--;

        var other = Simulate(Base(5), threads: 2);
        Assert.Null(Differs(run, other));
        other.Metrics[3].GmvFen[i] += 1;   // a thread-dependent sum
        Assert.Contains("step 3", Differs(run, other));
    }
}
