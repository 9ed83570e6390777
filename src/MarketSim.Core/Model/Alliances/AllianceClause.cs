using MarketSim.Scenarios;

namespace MarketSim.Model.Alliances;

/// <summary>
/// One clause of an alliance, compiled once from its scenario spec to platform and tier indices, so that applying it
/// each step is array arithmetic with no look-up by name. A new kind of clause is a new subclass in this folder with its
/// <see cref="AllianceClauseKind"/> (key, spec, validation, compile step) in the same file, one line in
/// <see cref="AllianceClauseKind.All"/>, and its spec's property on <see cref="AllianceSpec"/>.
/// </summary>
internal abstract class AllianceClause(int rampDays)
{
    /// <summary>Days over which the clause ramps in from the alliance start.</summary>
    public int RampDays { get; } = rampDays;

    /// <summary>Applies the clause at ramp <paramref name="ramp"/> (0..1] to a step's conditions.</summary>
    /// <param name="c">The step's conditions, changed in place.</param>
    /// <param name="before">The attributes as they were before this alliance applied any clause.</param>
    /// <param name="ramp">How far the clause has ramped in.</param>
    public abstract void Apply(StepConditions c, AllianceSnapshot before, double ramp);
}

/// <summary>
/// The attributes an alliance's clauses read, copied before the first clause applies: the order of sharing rules
/// within an alliance then does not matter. Allocated once per model and refilled, so a step allocates nothing.
/// </summary>
internal sealed class AllianceSnapshot(int cells)
{
    public double[] Quality { get; } = new double[cells];
    public double[] PriceLevel { get; } = new double[cells];
    public double[] Assortment { get; } = new double[cells];
    public double[] DeliveryDays { get; } = new double[cells];

    public void Take(StepConditions c)
    {
        c.Quality.CopyTo(Quality, 0);
        c.PriceLevel.CopyTo(PriceLevel, 0);
        c.Assortment.CopyTo(Assortment, 0);
        c.DeliveryDays.CopyTo(DeliveryDays, 0);
    }
}

/// <summary>
/// One kind of alliance clause, declared in the clause's own file: its key in the scenario (<c>supply</c>), whether an
/// alliance states it, how it is switched off, its validation and its compile step. The validator, the compiled
/// alliance and <see cref="ScenarioClauses"/> (attribution, <c>effect_of</c>) iterate <see cref="All"/>, so a kind
/// missing from it is neither checked, nor simulated, nor attributed — a test fails when a clause type is not listed.
/// </summary>
internal abstract class AllianceClauseKind
{
    /// <summary>
    /// Every kind, in the order an alliance's clauses are validated, compiled (and so applied) and attributed. A new
    /// kind is one line here.
    /// </summary>
    public static IReadOnlyList<AllianceClauseKind> All { get; } =
        [SupplyClause.Kind, LogisticsClause.Kind, TrafficClause.Kind, CoPromotionClause.Kind, LaunchClause.Kind];

    /// <summary>Key under an alliance in the scenario file, e.g. <c>supply</c>.</summary>
    public abstract string Key { get; }

    /// <summary>The <see cref="AllianceClause"/> subclass the kind compiles to.</summary>
    public abstract Type ClauseType { get; }

    /// <summary>True when the alliance states a clause of this kind (a non-empty list, a present section).</summary>
    public abstract bool IsPresent(AllianceSpec alliance);

    /// <summary>True for a kind stated once per alliance (a section, not a list).</summary>
    public virtual bool IsSingle => false;

    /// <summary>Removes the kind's clauses from the alliance, in place.</summary>
    public abstract void SwitchOff(AllianceSpec alliance);

    /// <summary>
    /// Removes the kind's clauses and whatever they bring into the rest of the scenario (a launch clause's festivals),
    /// in place: what attribution and <c>effect_of</c> call.
    /// </summary>
    public virtual void SwitchOff(Scenario scenario, AllianceSpec alliance) => SwitchOff(alliance);

    /// <summary>Reports the kind's problems; <paramref name="path"/> is the alliance's (<c>alliances.ID</c>).</summary>
    public abstract void Validate(IAllianceChecks checks, string path, AllianceSpec alliance);

    /// <summary>The compiled clauses of the alliance, in the order stated.</summary>
    public abstract IEnumerable<AllianceClause> Compile(AllianceCompilation compilation, AllianceSpec alliance);

    /// <summary>A kind stated as a list of specs (<c>supply: [...]</c>): each item is one clause.</summary>
    public static AllianceClauseKind List<TSpec, TClause>(string key, Func<AllianceSpec, List<TSpec>> specs,
        Action<IAllianceChecks, string, TSpec, AllianceSpec> validate, Func<AllianceCompilation, AllianceSpec, TSpec, TClause> compile)
        where TClause : AllianceClause => new ListKind<TSpec, TClause>(key, specs, validate, compile);

    /// <summary>A kind stated once per alliance (<c>co_promotion: {...}</c>), absent when null.</summary>
    /// <param name="key">Key under the alliance.</param>
    /// <param name="spec">The section, null when absent.</param>
    /// <param name="clear">Removes the section.</param>
    /// <param name="validate">The section's checks.</param>
    /// <param name="compile">The compile step.</param>
    /// <param name="release">What else switching the section off removes from the scenario (null: nothing).</param>
    public static AllianceClauseKind Single<TSpec, TClause>(string key, Func<AllianceSpec, TSpec?> spec, Action<AllianceSpec> clear,
        Action<IAllianceChecks, string, TSpec, AllianceSpec> validate, Func<AllianceCompilation, AllianceSpec, TSpec, TClause> compile,
        Action<Scenario, TSpec>? release = null)
        where TSpec : class where TClause : AllianceClause => new SingleKind<TSpec, TClause>(key, spec, clear, validate, compile, release);

    private sealed class ListKind<TSpec, TClause>(string key, Func<AllianceSpec, List<TSpec>> specs,
        Action<IAllianceChecks, string, TSpec, AllianceSpec> validate, Func<AllianceCompilation, AllianceSpec, TSpec, TClause> compile)
        : AllianceClauseKind where TClause : AllianceClause
    {
        public override string Key => key;
        public override Type ClauseType => typeof(TClause);
        public override bool IsPresent(AllianceSpec alliance) => specs(alliance).Count > 0;
        public override void SwitchOff(AllianceSpec alliance) => specs(alliance).Clear();

        public override void Validate(IAllianceChecks checks, string path, AllianceSpec alliance)
        {
            var list = specs(alliance);
            for (int i = 0; i < list.Count; i++) validate(checks, $"{path}.{key}[{i}]", list[i], alliance);
        }

        public override IEnumerable<AllianceClause> Compile(AllianceCompilation compilation, AllianceSpec alliance) =>
            specs(alliance).Select(x => (AllianceClause)compile(compilation, alliance, x));
    }

    private sealed class SingleKind<TSpec, TClause>(string key, Func<AllianceSpec, TSpec?> spec, Action<AllianceSpec> clear,
        Action<IAllianceChecks, string, TSpec, AllianceSpec> validate, Func<AllianceCompilation, AllianceSpec, TSpec, TClause> compile,
        Action<Scenario, TSpec>? release)
        : AllianceClauseKind where TSpec : class where TClause : AllianceClause
    {
        public override string Key => key;
        public override Type ClauseType => typeof(TClause);
        public override bool IsPresent(AllianceSpec alliance) => spec(alliance) is not null;
        public override bool IsSingle => true;
        public override void SwitchOff(AllianceSpec alliance) => clear(alliance);

        public override void SwitchOff(Scenario scenario, AllianceSpec alliance)
        {
            if (release is not null && spec(alliance) is { } x) release(scenario, x);
            clear(alliance);
        }

        public override void Validate(IAllianceChecks checks, string path, AllianceSpec alliance)
        {
            if (spec(alliance) is { } x) validate(checks, $"{path}.{key}", x, alliance);
        }

        public override IEnumerable<AllianceClause> Compile(AllianceCompilation compilation, AllianceSpec alliance) =>
            spec(alliance) is { } x ? [compile(compilation, alliance, x)] : [];
    }
}

/// <summary>What a clause's compile step reads: the scenario and its platform and tier ids in order.</summary>
/// <param name="Scenario">The scenario being compiled.</param>
/// <param name="PlatformIds">Platform ids, in index order.</param>
/// <param name="TierIds">Tier ids, in index order.</param>
internal sealed record AllianceCompilation(Scenario Scenario, IReadOnlyList<string> PlatformIds, IReadOnlyList<string> TierIds)
{
    /// <summary>Index of a platform id.</summary>
    public int Platform(string id) => ScenarioIndex.Of(PlatformIds, id);

    /// <summary>Streamer community ids, in index order (the model's order).</summary>
    public IReadOnlyList<string> StreamerIds { get; } = [.. Scenario.Streamers.Keys];

    /// <summary>Home platform index of each streamer community.</summary>
    public int[] StreamerPlatform => [.. Scenario.Streamers.Values.Select(g => Platform(g.Platform))];

    /// <summary>Index of a streamer community id.</summary>
    public int Streamer(string id) => ScenarioIndex.Of(StreamerIds, id);
}

/// <summary>An alliance compiled: its period and clauses in the order of <see cref="AllianceClauseKind.All"/>.</summary>
internal sealed class CompiledAlliance
{
    public CompiledAlliance(Scenario scenario, string id, AllianceSpec a, IReadOnlyList<string> platformIds, IReadOnlyList<string> tierIds)
    {
        Start = a.Start;
        End = a.End;
        var compilation = new AllianceCompilation(scenario, platformIds, tierIds);
        var clauses = new List<AllianceClause>();
        var paths = new List<string>();
        foreach (var kind in AllianceClauseKind.All)
        {
            var compiled = kind.Compile(compilation, a).ToList();
            clauses.AddRange(compiled);
            // A kind stated once is addressed by its key, a list kind by its index (the validator's paths).
            for (int k = 0; k < compiled.Count; k++) paths.Add(kind.IsSingle ? $"alliances.{id}.{kind.Key}" : $"alliances.{id}.{kind.Key}[{k}]");
        }
        Clauses = clauses;
        Paths = paths;
    }

    public DateOnly Start { get; }
    public DateOnly? End { get; }
    public IReadOnlyList<AllianceClause> Clauses { get; }
    /// <summary>The scenario path of each clause (<c>alliances.ID.supply[0]</c>), parallel to <see cref="Clauses"/>.</summary>
    public IReadOnlyList<string> Paths { get; }
}
