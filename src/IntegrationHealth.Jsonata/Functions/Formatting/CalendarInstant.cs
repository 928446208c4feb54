namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// A UTC instant broken into proleptic Gregorian fields with ECMAScript <c>Date</c> rules: the full JS range of
/// ±8.64e15 ms (years −271821 to 275760, beyond <see cref="DateTime"/>), and every field NaN for an invalid time,
/// so output matches jsonata-js even for out-of-range input. Fields are doubles for that reason.
/// </summary>
internal readonly record struct CalendarInstant
{
    public const double MillisPerDay = 86_400_000;

    private const double MaxTime = 8.64e15;

    /// <summary>Milliseconds since the epoch, or NaN.</summary>
    public double Time { get; private init; }

    public double Year { get; private init; }

    /// <summary>Month, zero-based as in JS (<c>getUTCMonth</c>).</summary>
    public double Month { get; private init; }

    public double Day { get; private init; }

    public double Hours { get; private init; }

    public double Minutes { get; private init; }

    public double Seconds { get; private init; }

    public double Milliseconds { get; private init; }

    /// <summary>Day of week, 0 = Sunday (<c>getUTCDay</c>).</summary>
    public double WeekDay { get; private init; }

    public bool IsValid => !double.IsNaN(Time);

    /// <summary><c>new Date(time)</c>: clipped to the JS range and truncated to whole milliseconds.</summary>
    public static CalendarInstant FromTime(double time)
    {
        time = TimeClip(time);
        if (double.IsNaN(time))
        {
            return new CalendarInstant
            {
                Time = double.NaN, Year = double.NaN, Month = double.NaN, Day = double.NaN, Hours = double.NaN,
                Minutes = double.NaN, Seconds = double.NaN, Milliseconds = double.NaN, WeekDay = double.NaN,
            };
        }

        var days = (long)Math.Floor(time / MillisPerDay);
        var msInDay = (long)(time - (days * MillisPerDay));
        var (year, month, day) = CivilFromDays(days);
        return new CalendarInstant
        {
            Time = time,
            Year = year,
            Month = month - 1,
            Day = day,
            Hours = msInDay / 3_600_000,
            Minutes = msInDay / 60_000 % 60,
            Seconds = msInDay / 1000 % 60,
            Milliseconds = msInDay % 1000,
            WeekDay = (((days + 4) % 7) + 7) % 7,
        };
    }

    /// <summary>
    /// <c>Date.UTC(year, month, day, hours, minutes, seconds, ms)</c> including its quirk that years 0–99 mean
    /// 1900–1999; NaN when any argument is NaN or the result is out of range.
    /// </summary>
    public static double DateUtc(double year, double month, double day = 1, double hours = 0, double minutes = 0, double seconds = 0, double ms = 0)
    {
        if (!double.IsNaN(year))
        {
            var truncated = EcmaScriptNumber.ToIntegerOrInfinity(year);
            if (truncated is >= 0 and <= 99)
            {
                year = 1900 + truncated;
            }
        }

        return TimeClip(MakeDate(MakeDay(year, month, day), MakeTime(hours, minutes, seconds, ms)));
    }

    private static double MakeDay(double year, double month, double date)
    {
        if (!double.IsFinite(year) || !double.IsFinite(month) || !double.IsFinite(date))
        {
            return double.NaN;
        }

        var y = EcmaScriptNumber.ToIntegerOrInfinity(year);
        var m = EcmaScriptNumber.ToIntegerOrInfinity(month);
        var dt = EcmaScriptNumber.ToIntegerOrInfinity(date);
        var ym = y + Math.Floor(m / 12);
        var mn = ((m % 12) + 12) % 12;

        // Far beyond the representable range the day count only needs to be "too big", not exact.
        if (Math.Abs(ym) > 1_000_000)
        {
            return Math.Sign(ym) * 1e12;
        }

        return DaysFromCivil((long)ym, (int)mn + 1, 1) + dt - 1;
    }

    private static double MakeTime(double hours, double minutes, double seconds, double ms)
    {
        if (!double.IsFinite(hours) || !double.IsFinite(minutes) || !double.IsFinite(seconds) || !double.IsFinite(ms))
        {
            return double.NaN;
        }

        return (EcmaScriptNumber.ToIntegerOrInfinity(hours) * 3_600_000) + (EcmaScriptNumber.ToIntegerOrInfinity(minutes) * 60_000)
            + (EcmaScriptNumber.ToIntegerOrInfinity(seconds) * 1000) + EcmaScriptNumber.ToIntegerOrInfinity(ms);
    }

    private static double MakeDate(double day, double time) =>
        !double.IsFinite(day) || !double.IsFinite(time) ? double.NaN : (day * MillisPerDay) + time;

    private static double TimeClip(double time) =>
        !double.IsFinite(time) || Math.Abs(time) > MaxTime ? double.NaN : EcmaScriptNumber.ToIntegerOrInfinity(time);

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, day 0 = 1970-01-01).
    private static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - (era * 400);
        var dayOfYear = (((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5) + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719468;
        var era = (days >= 0 ? days : days - 146096) / 146097;
        var dayOfEra = days - (era * 146097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
        var year = yearOfEra + (era * 400);
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var mp = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (month <= 2 ? year + 1 : year, month, day);
    }
}
