using MarketSim.Engine;
using MarketSim.Model;

namespace MarketSim.Charts.Tests;

/// <summary>Hand-built runs with plausible, internally consistent numbers (overlap within annual-active, shares summing below 1).</summary>
internal static class SampleRuns
{
    public static readonly string[] AllPlatformIds = ["taobao", "jd", "pdd", "kuaishou", "douyin", "other"];
    public static readonly string[] AllPlatformNames = ["Taobao/Tmall", "JD.com", "Pinduoduo", "Kuaishou", "Douyin", "Other (Suning, Vipshop, WeChat shops …)"];
    public static readonly string[] AllColors = ["#FF7F0E", "#D62728", "#2CA02C", "#1F77B4", "#9467BD", "#7F7F7F"];

    public static ModelDimensions Dimensions(int tiers, int platforms, double peoplePerAgent = 1000) => new(
        Enumerable.Range(1, tiers).Select(t => $"t{t}").ToArray(),
        Enumerable.Range(1, tiers).Select(t => t == 6 ? "Tier 6 (county and rural)" : $"Tier {t}").ToArray(),
        AllPlatformIds.Take(platforms).ToArray(),
        AllPlatformNames.Take(platforms).ToArray(),
        AllColors.Take(platforms).ToArray(),
        peoplePerAgent,
        7);

    /// <summary>
    /// Weekly steps from 7 Jan 2019. Platform shares drift (the third platform gains in lower tiers), GMV has a
    /// Double 11 spike, and <paramref name="zeroPlatform"/> (if any) has no users at all.
    /// </summary>
    public static List<StepMetrics> Build(int tiers, int platforms, int steps, int zeroPlatform = -1)
    {
        var list = new List<StepMetrics>(steps);
        var start = new DateOnly(2019, 1, 7);
        for (int s = 0; s < steps; s++)
        {
            var m = new StepMetrics(tiers, platforms) { Step = s, Date = start.AddDays(7 * s) };
            double progress = steps > 1 ? (double)s / (steps - 1) : 0;
            DateOnly date = m.Date;
            bool festival = date.Month == 11 && date.Day is >= 4 and <= 17;
            for (int t = 0; t < tiers; t++)
            {
                long consumers = (long)((40_000 + 15_000 * t) * (1 + 0.15 * progress));
                m.Consumers[t] = consumers;
                m.Arrivals[t] = consumers / 500;
                double[] weights = new double[platforms];
                for (int p = 0; p < platforms; p++)
                {
                    double w = p switch
                    {
                        0 => 5.0 - 1.2 * progress,
                        1 => 2.5 - 0.25 * t,
                        2 => 1.0 + 0.5 * t + 2.0 * progress,
                        3 => 0.4 + 0.2 * t * progress,
                        4 => 0.2 + 1.2 * progress,
                        _ => 0.6,
                    };
                    weights[p] = p == zeroPlatform ? 0 : Math.Max(w, 0.05);
                }
                double total = weights.Sum();
                for (int p = 0; p < platforms; p++)
                {
                    int i = m.At(t, p);
                    double share = weights[p] / total;
                    m.Primary[i] = (long)(consumers * 0.95 * share);
                    m.AnnualActive[i] = p == zeroPlatform ? 0 : (long)(consumers * Math.Min(0.95, 0.25 + 1.5 * share));
                    m.PeriodActive[i] = m.AnnualActive[i] / 3;
                    m.New[i] = m.AnnualActive[i] / 200;
                    m.Churned[i] = m.AnnualActive[i] / 260;
                    m.GmvFen[i] = (long)(m.PeriodActive[i] * 15_000 * (festival ? 2.2 : 1.0) * (1 + 0.3 * (1 - t / (double)tiers)));
                }
                for (int a = 0; a < platforms; a++)
                    for (int b = 0; b < platforms; b++)
                    {
                        long aa = m.AnnualActive[m.At(t, a)], ab = m.AnnualActive[m.At(t, b)];
                        m.Overlap[m.At(t, a, b)] = a == b ? aa : (long)(Math.Min(aa, ab) * (0.55 + 0.1 * ((a + b) % 3)));
                        if (a != b && a != zeroPlatform && b != zeroPlatform)
                        {
                            long flow = (long)(consumers * 0.0004 * weights[b] / total * (1 + a));
                            m.Flows[m.At(t, a, b)] = flow;
                            m.SwitchedOut[m.At(t, a)] += flow;
                            m.SwitchedIn[m.At(t, b)] += flow;
                        }
                    }
            }
            list.Add(m);
        }
        return list;
    }
}
