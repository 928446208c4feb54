namespace IntegrationHealth.Jsonata.Functions.Formatting;

/// <summary>
/// The value of each date/time picture component for an instant (jsonata-js <c>getDateTimeFragment</c>), including
/// ISO week numbering: week 1 of a year (or month) is the Monday-based week containing its first Thursday.
/// </summary>
internal static class CalendarFields
{
    /// <summary>Names of months, January first.</summary>
    public static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>Names of days indexed 1 (Monday) to 7 (Sunday); index 0 is empty.</summary>
    public static readonly string[] DayNames = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private const double MillisPerWeek = CalendarInstant.MillisPerDay * 7;

    /// <summary>
    /// Numeric value of an integer component (Y M D d F W w X x H h m s f); NaN for an invalid date and for
    /// components without a numeric value (P, C, E, Z, unknown letters).
    /// </summary>
    public static double Numeric(CalendarInstant date, string component)
    {
        switch (component)
        {
            case "Y":
                return date.Year;
            case "M":
                return date.Month + 1;
            case "D":
                return date.Day;
            case "d":
                var today = CalendarInstant.DateUtc(date.Year, date.Month, date.Day);
                var firstJan = CalendarInstant.DateUtc(date.Year, 0);
                return ((today - firstJan) / CalendarInstant.MillisPerDay) + 1;
            case "F":
                return date.WeekDay == 0 ? 7 : date.WeekDay;
            case "W":
                return WeekInYear(date);
            case "w":
                return WeekInMonth(date);
            case "X":
                return WeekNumberingYear(date);
            case "x":
                return WeekNumberingMonth(date);
            case "H":
                return date.Hours;
            case "h":
                var hour = date.Hours % 12;
                return hour == 0 ? 12 : hour;
            case "m":
                return date.Minutes;
            case "s":
                return date.Seconds;
            case "f":
                return date.Milliseconds;
            default:
                return double.NaN;
        }
    }

    /// <summary>"am" / "pm" for the P component (an invalid date gives "am", as NaN &gt;= 12 is false in JS).</summary>
    public static string Meridiem(CalendarInstant date) => date.Hours >= 12 ? "pm" : "am";

    // Millis of the Monday starting week 1 of the given month (month 0 for the year's week 1).
    private static double StartOfFirstWeek(double year, double month)
    {
        var first = CalendarInstant.DateUtc(year, month);
        var weekDay = CalendarInstant.FromTime(first).WeekDay;
        if (weekDay == 0)
        {
            weekDay = 7;
        }

        return weekDay > 4
            ? first + ((8 - weekDay) * CalendarInstant.MillisPerDay)
            : first - ((weekDay - 1) * CalendarInstant.MillisPerDay);
    }

    private static (double Year, double Month) NextMonth(double year, double month) => month == 11 ? (year + 1, 0) : (year, month + 1);

    private static (double Year, double Month) PreviousMonth(double year, double month) => month == 0 ? (year - 1, 11) : (year, month - 1);

    private static double DeltaWeeks(double start, double end) => ((end - start) / MillisPerWeek) + 1;

    private static double WeekInYear(CalendarInstant date)
    {
        var startOfWeek1 = StartOfFirstWeek(date.Year, 0);
        var today = CalendarInstant.DateUtc(date.Year, date.Month, date.Day);
        var week = DeltaWeeks(startOfWeek1, today);
        if (week > 52)
        {
            if (today >= StartOfFirstWeek(date.Year + 1, 0))
            {
                week = 1;
            }
        }
        else if (week < 1)
        {
            week = DeltaWeeks(StartOfFirstWeek(date.Year - 1, 0), today);
        }

        return Math.Floor(week);
    }

    private static double WeekInMonth(CalendarInstant date)
    {
        var startOfWeek1 = StartOfFirstWeek(date.Year, date.Month);
        var today = CalendarInstant.DateUtc(date.Year, date.Month, date.Day);
        var week = DeltaWeeks(startOfWeek1, today);
        if (week > 4)
        {
            var (nextYear, nextMonth) = NextMonth(date.Year, date.Month);
            if (today >= StartOfFirstWeek(nextYear, nextMonth))
            {
                week = 1;
            }
        }
        else if (week < 1)
        {
            var (previousYear, previousMonth) = PreviousMonth(date.Year, date.Month);
            week = DeltaWeeks(StartOfFirstWeek(previousYear, previousMonth), today);
        }

        return Math.Floor(week);
    }

    // The ISO week-numbering year (jsonata-js extension X): 1 Jan 2005 belongs to 2004's week 53.
    private static double WeekNumberingYear(CalendarInstant date)
    {
        if (date.Time < StartOfFirstWeek(date.Year, 0))
        {
            return date.Year - 1;
        }

        return date.Time >= StartOfFirstWeek(date.Year + 1, 0) ? date.Year + 1 : date.Year;
    }

    // The month a week-of-month belongs to (jsonata-js extension x), one-based.
    private static double WeekNumberingMonth(CalendarInstant date)
    {
        var (nextYear, nextMonth) = NextMonth(date.Year, date.Month);
        if (date.Time < StartOfFirstWeek(date.Year, date.Month))
        {
            return PreviousMonth(date.Year, date.Month).Month + 1;
        }

        return date.Time >= StartOfFirstWeek(nextYear, nextMonth) ? nextMonth + 1 : date.Month + 1;
    }
}
