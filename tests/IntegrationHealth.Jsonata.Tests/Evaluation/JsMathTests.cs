using IntegrationHealth.Jsonata.Values;

namespace IntegrationHealth.Jsonata.Tests.Evaluation;

/// <summary>
/// <see cref="JsMath.Pow"/> reproduces V8's Math.pow to the last bit. Every expected value below was printed by node 20
/// (<c>Math.pow(x, y)</c>), and every one of them differs from .NET's correctly rounded <c>Math.Pow</c>; the port was
/// checked against 300,000 such node vectors (random magnitudes, integer and fractional exponents, special values).
/// </summary>
public sealed class JsMathTests
{
    [Theory]
    [InlineData(2, -0.5, 0.7071067811865475)]
    [InlineData(0.3807368874549866, 640.438437461853, 2.6067633053168664e-269)]
    [InlineData(1.0000002009391784, -2441082000.732422, 9.433314594501497e-214)]
    [InlineData(1.0487467050552368e-12, -6, 7.515819538300451e+71)]
    [InlineData(9.432142270143387e-184, -0.2329697608947754, 4.3589437640789595e+42)]
    [InlineData(341.85791015625, -0.37464141845703125, 0.11238710331116117)]
    [InlineData(0.5684695243835449, -524.8475074768066, 5.512155082274308e+128)]
    [InlineData(14743137359619.14, 6, 1.0269267597136064e+79)]
    [InlineData(6.265342955921556e-173, -0.48896360397338867, 1.5886435434348921e+84)]
    [InlineData(4.230872392654419e+18, -6, 1.7434939286044352e-112)]
    [InlineData(1.767322063446045, 837.5792503356934, 1.4011931034225622e+207)]
    [InlineData(0.9999996839152873, -2241782546.043396, 5.472198874066022e+307)]
    [InlineData(0.9999998012689352, 3420428037.6434326, 6.170709969887337e-296)]
    [InlineData(283.02645683288574, 7.068591117858887, 2.142707051399849e+17)]
    [InlineData(1.0000001625959873, -2166068553.9245605, 1.1068218247456788e-153)]
    [InlineData(0.1398179531097412, -218.69391202926636, 7.247417070318217e+186)]
    [InlineData(-143668532371.521, -8, 5.509431117240474e-90)]
    [InlineData(1.0000000860626697, 989763736.7248535, 9.86154154252797e+36)]
    [InlineData(2.2052137450642485e+95, 0.26071083545684814, 7.195660836553694e+24)]
    [InlineData(1.5002086162567139, -280.3499698638916, 4.129416640079511e-50)]
    [InlineData(0.999999744252205, 2265233993.5302734, 2.5162513381493874e-252)]
    [InlineData(6.071875469514613e+37, 0.33115339279174805, 3251438580820.2715)]
    [InlineData(1.7671504020690918, -108.86621475219727, 1.2030080619880857e-27)]
    [InlineData(644.2928314208984, 4.3436431884765625, 1590946365582.274)]
    [InlineData(3.940472963711656e+41, -1.8417396545410156, 2.465069382741206e-77)]
    public void Pow_WhereDotNetRoundsDifferently_GivesV8sBits(double x, double y, double expected)
    {
        Assert.NotEqual(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(Math.Pow(x, y)));
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(JsMath.Pow(x, y)));
    }

    [Theory]
    [InlineData(double.NaN, 0, 1)]
    [InlineData(1, double.NaN, double.NaN)]
    [InlineData(1, double.PositiveInfinity, double.NaN)]
    [InlineData(-1, double.NegativeInfinity, double.NaN)]
    [InlineData(-8, 1.0 / 3, double.NaN)]
    [InlineData(-2, 3, -8)]
    [InlineData(0, -1, double.PositiveInfinity)]
    [InlineData(-0.0, -3, double.NegativeInfinity)]
    [InlineData(10, 400, double.PositiveInfinity)]
    [InlineData(10, -400, 0)]
    [InlineData(5e-324, 0.5, 2.2227587494850775e-162)]
    public void Pow_SpecialValues_FollowJavaScript(double x, double y, double expected) =>
        Assert.Equal(expected, JsMath.Pow(x, y));
}
