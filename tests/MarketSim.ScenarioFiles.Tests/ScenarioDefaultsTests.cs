using MarketSim.Scenarios;

namespace MarketSim.Tests;

/// <summary>
/// What a key left out of a scenario file means (the loader binds onto these defaults), the attribute registry's
/// ranges and units as docs/scenarios.md gives them, and the "did you mean" every message uses.
/// </summary>
public sealed class ScenarioDefaultsTests
{
    [Fact]
    public void OmittedTextKeys_AreEmpty_AndTheOthersHaveTheirDocumentedDefaults()
    {
        var s = new Scenario();
        Assert.Equal(("", "", ""), (s.Name, s.Description, s.FittedBy));
        Assert.Equal("", new TierSpec().Name);
        var p = new PlatformSpec();
        Assert.Equal(("", "#808080"), (p.Name, p.Color));
        Assert.Equal("constant", new DistributionSpec().Distribution);
        Assert.Equal("", new StreamerSpec().Platform);
        var iv = new InterventionSpec();
        Assert.Equal(("", ""), (iv.Platform, iv.Attribute));
        Assert.Equal(("", ""), (new SupplySharingSpec().Host, new SupplySharingSpec().Partner));
        Assert.Equal(("", ""), (new LogisticsSharingSpec().Host, new LogisticsSharingSpec().Partner));
        Assert.Equal(("", ""), (new TrafficSharingSpec().From, new TrafficSharingSpec().To));
        var t = new CalibrationTargetSpec();
        Assert.Equal(("", "annual_active", "", "", true), (t.Platform, t.Metric, t.Unit, t.Source, t.InSample));
        var o = new OutputSpec();
        Assert.Equal((true, true, true, true), (o.Metrics, o.Flows, o.Overlap, o.Charts));
    }

    [Fact]
    public void Attributes_HaveTheUnitsAndRangesTheDocsGive()
    {
        double inf = double.PositiveInfinity;
        var expected = new (string Key, string Unit, double Min, double Max, bool MinOpen, double ClampMin, double ClampMax, bool PerTier)[]
        {
            ("price_level", "index, 1 = market average", 0, 10, true, 0.01, inf, false),
            ("quality", "0..1", 0, 1, false, 0, 1, false),
            ("assortment", "0..1", 0, 1, false, 0, 1, false),
            ("content", "0..1", 0, 1, false, 0, 1, false),
            ("social", "0..1", 0, 1, false, 0, 1, false),
            ("subsidy", "share of price", 0, 0.9, false, 0, 0.9, false),
            ("delivery_days", "days", 0, 60, true, 0.1, inf, true),
            ("reach", "0..1", 0, 1, false, 0, 1, true),
            ("brand", "utility", -inf, inf, false, -inf, inf, false),
            ("basket", "order value index, 1 = typical", 0, 5, true, 0.01, 5, false),
            ("adoption_external", "per week", 0, 1, false, 0, 1, false),
            ("adoption_imitation", "per week", 0, 1, false, 0, 1, false),
        };
        Assert.Equal(expected, PlatformAttribute.All.Select(a => (a.Key, a.Unit, a.ValidMin, a.ValidMax, a.MinOpen, a.ClampMin, a.ClampMax, a.PerTier)));
        var jd = new PlatformSpec { Quality = 0.9, DeliveryDays = new() { ["t1"] = 1.5 } };
        Assert.Equal(0.9, PlatformAttribute.Quality.ValueOf(jd, "t1"));
        Assert.Equal(1.5, PlatformAttribute.DeliveryDays.ValueOf(jd, "t1"));
        Assert.Throws<ArgumentNullException>(() => PlatformAttribute.Quality.ValueOf(null!, "t1"));
    }

    [Theory]
    [InlineData("suply", "; did you mean 'supply'?")]        // one edit in five letters
    [InlineData("logistic", "; did you mean 'logistics'?")]
    [InlineData("trafic_x", "")]                             // three edits in eight letters: too far
    [InlineData("abcdef", "")]                               // three substitutions
    [InlineData("supplyab", "; did you mean 'supply'?")]     // two edits in eight letters
    [InlineData("t7", "")]                                   // one edit, but half of a two-letter id
    public void For_SuggestsTheClosestKeyOnlyWhenItIsPlausiblyATypo(string key, string expected) =>
        Assert.Equal(expected, KeySuggestions.For(key, ["traffic", "supply", "logistics", "t1"], listWhenFar: false));

    [Fact]
    public void For_ListsTheKeysInOrderWhenNoneIsClose_IfAsked()
    {
        Assert.Equal("; expected one of: b, c, d", KeySuggestions.For("zzzzzz", ["d", "b", "c"]));
        Assert.Equal("", KeySuggestions.For("zzzzzz", ["d", "b", "c"], listWhenFar: false));
        Assert.Equal("", KeySuggestions.For("zzzzzz", []));
        Assert.Throws<ArgumentNullException>(() => KeySuggestions.For(null!, ["a"]));
        Assert.Throws<ArgumentNullException>(() => KeySuggestions.For("a", null!));
    }

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("supply", "supply", 0)]
    public void EditDistance_IsLevenshtein(string a, string b, int d)
    {
        Assert.Equal(d, KeySuggestions.EditDistance(a, b));
        Assert.Equal(d, KeySuggestions.EditDistance(b, a));
    }

    [Fact]
    public void EditDistance_RefusesNull()
    {
        Assert.Throws<ArgumentNullException>(() => KeySuggestions.EditDistance(null!, "a"));
        Assert.Throws<ArgumentNullException>(() => KeySuggestions.EditDistance("a", null!));
    }
}
