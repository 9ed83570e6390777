using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// Logistics sharing, bounded by what it covers: in the chosen tiers the partner delivers <c>share</c> of the supplied
/// slice (the partner's goods sold on the host through a supply clause of the same alliance) and, only when the
/// scenario says so with its own size, <c>own_goods_share</c> of the host's own goods. A scenario therefore cannot have
/// the partner deliver more of the host's orders than the deal covers.
/// </summary>
internal sealed class LogisticsClause(LogisticsSharingSpec spec, int host, int partner, IReadOnlyList<string> tierIds, int platforms,
    int[] streamerPlatform) : AllianceClause(spec.RampDays)
{
    /// <summary><c>logistics: [{host, partner, share, own_goods_share, tiers, ramp_days}]</c>.</summary>
    public static AllianceClauseKind Kind { get; } = AllianceClauseKind.List("logistics", a => a.Logistics,
        (v, p, x, a) =>
        {
            v.Pair(p, "host", x.Host, "partner", x.Partner, a.Members);
            v.TierIds(p + ".tiers", x.Tiers);
            // The scope: share is a share of the supplied slice, so without a slice it would deliver goods nobody sold.
            if (x.Share > 0 && !a.Supply.Any(s => s.Host == x.Host && s.Partner == x.Partner))
                v.Add(p + ".share",
                    $"logistics covers the goods '{x.Partner}' supplies to '{x.Host}', and no supply clause of this alliance " +
                    $"sells '{x.Partner}' goods on '{x.Host}': add one, or set share to 0 and own_goods_share to the share of " +
                    $"'{x.Host}''s own goods '{x.Partner}' delivers, as the deal states it");
        },
        (c, a, x) => new LogisticsClause(x, c.Platform(x.Host), c.Platform(x.Partner), c.TierIds, c.PlatformIds.Count, c.StreamerPlatform));

    private readonly bool[] tiers = ScenarioIndex.TierMask(spec.Tiers, tierIds);

    public override void Apply(StepConditions c, AllianceSnapshot before, double ramp)
    {
        double slice = spec.Share * ramp, own = spec.OwnGoodsShare * ramp;
        int communities = streamerPlatform.Length;
        for (int t = 0; t < tiers.Length; t++)
        {
            if (!tiers[t]) continue;
            // The slice of each of the host's communities this partner supplies (supply clauses apply first).
            for (int g = 0; g < communities; g++)
                if (streamerPlatform[g] == host && c.SlicePartner[g] == partner)
                    c.SliceDelivered[t * communities + g] = Math.Max(c.SliceDelivered[t * communities + g], slice);
            if (own > 0)
                c.DeliveryDays[t * platforms + host] = (1 - own) * before.DeliveryDays[t * platforms + host] + own * before.DeliveryDays[t * platforms + partner];
        }
    }

    /// <summary>
    /// Where the partner delivers no faster than the host (at the alliance's first step, before this clause), its
    /// deliveries cannot shorten anything: says so per tier.
    /// </summary>
    public void Notes(List<CannotActNote> notes, string path, MarketModel model, int firstStep, IReadOnlyList<string> tierIds, IReadOnlyList<string> platformIds)
    {
        var c = new StepConditions(model.T, platforms, streamerPlatform.Length);
        model.Conditions(firstStep, c, this, true);
        var slower = Enumerable.Range(0, tiers.Length)
            .Where(t => tiers[t] && c.DeliveryDays[t * platforms + partner] >= c.DeliveryDays[t * platforms + host]).ToList();
        if (slower.Count > 0)
            notes.Add(new(path, $"cannot speed up deliveries in {string.Join(", ", slower.Select(t => tierIds[t]))} because " +
                $"{platformIds[partner]} delivers no faster than {platformIds[host]} there"));
    }
}
