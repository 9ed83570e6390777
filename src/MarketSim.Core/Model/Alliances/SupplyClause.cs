using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// Supply sharing: a share of the host's sales are the partner's goods, so the host's quality and price move toward the
/// partner's and the partner's range is added to the host's. When several clauses supply one host, the largest share
/// in force wins (a host has one supplier). Supplied GMV is paid to the partner (<see cref="StepConditions.Supplier"/>).
/// </summary>
internal sealed class SupplyClause(SupplySharingSpec spec, int host, int partner, int tiers, int platforms) : AllianceClause(spec.RampDays)
{
    /// <summary><c>supply: [{host, partner, share, ramp_days}]</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.List("supply", a => a.Supply,
        (v, p, x, a) =>
        {
            v.Pair(p, "host", x.Host, "partner", x.Partner, a.Members);
            v.Range(p + ".share", x.Share, 0, 1);
            v.Int(p + ".ramp_days", x.RampDays, 0, int.MaxValue);
        },
        (c, a, x) => new SupplyClause(x, c.Platform(x.Host), c.Platform(x.Partner), c.TierIds.Count, c.PlatformIds.Count));

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        double s = spec.Share * ramp;
        if (s <= c.SupplyShare[host]) return;
        c.SupplyShare[host] = s;
        c.Supplier[host] = partner;
        for (int t = 0; t < tiers; t++)
        {
            int hi = t * platforms + host, qi = t * platforms + partner;
            c.Quality[hi] = (1 - s) * before.Quality[hi] + s * before.Quality[qi];
            c.PriceLevel[hi] = (1 - s) * before.PriceLevel[hi] + s * before.PriceLevel[qi];
            // The partner's range is added to the host's, not averaged with it.
            c.Assortment[hi] = before.Assortment[hi] + s * (1 - before.Assortment[hi]) * before.Assortment[qi];
        }
    }
}
