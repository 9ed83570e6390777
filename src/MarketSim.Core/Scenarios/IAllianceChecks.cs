namespace MarketSim.Scenarios;

/// <summary>
/// The validator's checks an alliance clause kind uses to state its rules (<c>AllianceClauseKind.Validate</c>): problems
/// are collected with their scenario path, the same wording as every other check. A clause's numbers need no call here:
/// their limits are declared on its spec's properties (<see cref="LimitAttribute"/>) and checked with every other.
/// </summary>
internal interface IAllianceChecks
{
    /// <summary>Reports a problem at <paramref name="path"/>.</summary>
    void Add(string path, string message);

    /// <summary>Two different members of the alliance under <paramref name="path"/>.<paramref name="firstKey"/> and .<paramref name="secondKey"/>.</summary>
    void Pair(string path, string firstKey, string first, string secondKey, string second, List<string> members);

    /// <summary>Every id of <paramref name="tiers"/> is a tier of the scenario (<c>path[k]</c>).</summary>
    void TierIds(string path, List<string> tiers);

    /// <summary>
    /// At least one id, each a streamer community whose home platform is <paramref name="host"/> (<c>path[k]</c>): a
    /// supplied slice is made of the host's own communities' orders.
    /// </summary>
    void HostStreamers(string path, List<string> ids, string host);

    /// <summary>
    /// The festivals of a co-promotion exist and the occurrences it selects (years, dates or every occurrence) lie in
    /// the alliance's period.
    /// </summary>
    void CoPromotedFestivals(string path, CoPromotionSpec promotion, AllianceSpec alliance);

    /// <summary>
    /// The festivals of a launch exist, are marked <c>what_if: true</c> (the alliance creates them), fall within the
    /// alliance's period, and are launched by no other alliance; the launch states its source.
    /// </summary>
    void LaunchedFestivals(string path, LaunchSpec launch, AllianceSpec alliance);
}
