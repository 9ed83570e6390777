using System.Globalization;

namespace MarketSim.Scenarios;

/// <summary>
/// Dates of the Chinese lunisolar calendar (农历) in the Gregorian calendar, for festivals such as the Spring Festival
/// (lunar "01-01"), the Lantern Festival ("01-15"), the Dragon Boat Festival ("05-05") and Mid-Autumn ("08-15"). The
/// conversion is .NET's <see cref="ChineseLunisolarCalendar"/> (managed tables, the same on every machine and without
/// ICU), which covers the lunar years <see cref="FirstYear"/>–<see cref="LastYear"/>. Its Spring Festival dates for
/// 2000–2050 are checked in the tests against the Hong Kong Observatory's Gregorian–Lunar calendar conversion tables.
/// </summary>
public static class LunarCalendar
{
    private static readonly ChineseLunisolarCalendar Calendar = new();

    /// <summary>First lunar year the conversion covers (its new year is 19 Feb 1901).</summary>
    public const int FirstYear = 1901;

    /// <summary>Last lunar year the conversion covers.</summary>
    public const int LastYear = 2100;

    /// <summary>True for "MM-DD" with a lunar month 1–12 and day 1–30.</summary>
    public static bool IsMonthDay(string text) =>
        text is { Length: 5 } && text[2] == '-'
        && int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m is >= 1 and <= 12
        && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d is >= 1 and <= 30;

    /// <summary>
    /// The Gregorian date of lunar month <paramref name="month"/> (not the leap month of that number), day
    /// <paramref name="day"/> of lunar year <paramref name="lunarYear"/>; null when that month has only 29 days and
    /// <paramref name="day"/> is 30, or the year lies outside <see cref="FirstYear"/>–<see cref="LastYear"/>.
    /// </summary>
    public static DateOnly? ToGregorian(int lunarYear, int month, int day)
    {
        if (lunarYear < FirstYear || lunarYear > LastYear || month is < 1 or > 12 || day is < 1 or > 30) return null;
        // In a leap year the calendar numbers 13 months: the leap month L follows month L − 1, so months from L on
        // are one further along.
        int leap = Calendar.GetLeapMonth(lunarYear);
        int index = leap > 0 && month >= leap ? month + 1 : month;
        if (day > Calendar.GetDaysInMonth(lunarYear, index)) return null;
        return DateOnly.FromDateTime(Calendar.ToDateTime(lunarYear, index, day, 0, 0, 0, 0));
    }

    /// <summary>
    /// The days of a lunar "MM-DD" that fall in Gregorian years <paramref name="firstYear"/>..<paramref name="lastYear"/>,
    /// in date order (a date late in a lunar year can fall in the next Gregorian year).
    /// </summary>
    public static IEnumerable<DateOnly> Days(string monthDay, int firstYear, int lastYear)
    {
        ArgumentNullException.ThrowIfNull(monthDay);
        if (!IsMonthDay(monthDay)) yield break;
        int month = int.Parse(monthDay.AsSpan(0, 2), CultureInfo.InvariantCulture), day = int.Parse(monthDay.AsSpan(3, 2), CultureInfo.InvariantCulture);
        for (int y = Math.Max(FirstYear, firstYear - 1); y <= Math.Min(LastYear, lastYear); y++)
            if (ToGregorian(y, month, day) is { } d && d.Year >= firstYear && d.Year <= lastYear) yield return d;
    }
}
