using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// Supply sharing as a slice of the host's sales: a share of the orders placed through the named streamer communities
/// of the host are the partner's goods, at the partner's quality and price. Nothing else of the host changes: its own
/// attributes, its other communities and its orders outside streams stay as they were (the decision tables blend the
/// slice into the utility of the cohorts that follow those communities only, docs/model.md). When several clauses
/// supply one community, the largest share in force wins (a community has one supplier). The slice's GMV is paid to
/// the partner (<see cref="StepConditions.SlicePartner"/>).
/// </summary>
internal sealed class SupplyClause(SupplySharingSpec spec, int partner, int[] communities) : AllianceClause(spec.RampDays)
{
    /// <summary><c>supply: [{host, partner, streamers, share, ramp_days}]</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.List("supply", a => a.Supply,
        (v, p, x, a) =>
        {
            v.Pair(p, "host", x.Host, "partner", x.Partner, a.Members);
            v.HostStreamers(p + ".streamers", x.Streamers, x.Host);
        },
        (c, a, x) => new SupplyClause(x, c.Platform(x.Partner), x.Streamers.Select(c.Streamer).ToArray()));

    /// <summary>Streamer community indices whose orders form the slice.</summary>
    public IReadOnlyList<int> Communities => communities;

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        double s = spec.Share * ramp;
        foreach (int g in communities)
        {
            if (s <= c.SliceShare[g]) continue;
            c.SliceShare[g] = s;
            c.SlicePartner[g] = partner;
        }
    }
}
