namespace MarketSim.Scenarios;

/// <summary>
/// "Did you mean" for misspelt keys and ids, shared by the scenario validator, the scenario loader and sweep files so
/// that every message suggests the same way.
/// </summary>
public static class KeySuggestions
{
    /// <summary>
    /// "; did you mean 'x'?" for the closest of <paramref name="known"/> (within about a third of the key's length and
    /// less than half the longer of the two),
    /// otherwise "; expected one of: …" when <paramref name="listWhenFar"/>, else nothing.
    /// </summary>
    public static string For(string key, IEnumerable<string> known, bool listWhenFar = true)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        var options = known.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var best = options.Select(k => (k, d: EditDistance(key, k))).OrderBy(x => x.d).FirstOrDefault();
        // Within about a third of the key's length, and fewer edits than half the longer word: for short ids such as
        // tiers, "t7" is one edit from "t1" but a different id, not a typo of it.
        if (best.k is not null && best.d <= Math.Max(1, key.Length / 3) && 2 * best.d < Math.Max(key.Length, best.k.Length))
            return $"; did you mean '{best.k}'?";
        return listWhenFar && options.Count > 0 ? $"; expected one of: {string.Join(", ", options)}" : "";
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each count one.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
