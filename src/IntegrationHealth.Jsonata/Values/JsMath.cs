// Math.pow below follows fdlibm's e_pow.c, whose licence asks that this notice be preserved:
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunSoft, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

namespace IntegrationHealth.Jsonata.Values;

/// <summary>
/// JavaScript's <c>Math.pow</c> as V8 (node 20) computes it: fdlibm's algorithm with one change of V8's (below), which
/// is not always correctly rounded,
/// where .NET's <c>Math.Pow</c> is (e.g. <c>(-57942544)^3</c> is -1.9453272826572356e+23 in JavaScript and
/// -1.945327282657236e+23 in .NET). jsonata-js's <c>$power</c> is Math.pow, so ours must give the same last bit.
/// </summary>
internal static class JsMath
{
    private static readonly double[] Bp = [1.0, 1.5];
    private static readonly double[] DpH = [0.0, 5.84962487220764160156e-01]; // log2(1.5) high
    private static readonly double[] DpL = [0.0, 1.35003920212974897128e-08]; // log2(1.5) low

    private const double Two53 = 9007199254740992.0;
    private const double Huge = 1.0e300;
    private const double Tiny = 1.0e-300;

    // Polynomial coefficients of log((1+s)/(1-s)) and of 2^z.
    private const double L1 = 5.99999999999994648725e-01;
    private const double L2 = 4.28571428578550184252e-01;
    private const double L3 = 3.33333329818377432918e-01;
    private const double L4 = 2.72728123808534006489e-01;
    private const double L5 = 2.30660745775561754067e-01;
    private const double L6 = 2.06975017800338417784e-01;
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    private const double Lg2 = 6.93147180559945286227e-01;
    private const double Lg2H = 6.93147182464599609375e-01;
    private const double Lg2L = -1.90465429995776804525e-09;
    private const double Ovt = 8.0085662595372944372e-17; // -(1024 - log2(ovfl + .5ulp))
    private const double Cp = 9.61796693925975554329e-01; // 2 / (3 ln2)
    private const double CpH = 9.61796700954437255859e-01;
    private const double CpL = -7.02846165095275826516e-09;
    private const double Ivln2 = 1.44269504088896338700e+00; // 1 / ln2
    private const double Ivln2H = 1.44269502162933349609e+00;
    private const double Ivln2L = 1.92596299112661746887e-08;

    /// <summary>JavaScript <c>Math.pow(x, y)</c>: NaN for a NaN exponent and for ±1 to an infinite power.</summary>
    public static double Pow(double x, double y)
    {
        var hx = High(x);
        var lx = Low(x);
        var hy = High(y);
        var ly = Low(y);
        var ix = hx & 0x7fffffff;
        var iy = hy & 0x7fffffff;

        // y is ±0: x^0 is 1, even for NaN.
        if ((iy | (int)ly) == 0)
        {
            return 1.0;
        }

        // A NaN on either side.
        if (ix > 0x7ff00000 || (ix == 0x7ff00000 && lx != 0) || iy > 0x7ff00000 || (iy == 0x7ff00000 && ly != 0))
        {
            return double.NaN;
        }

        // When x < 0: 0 when y is not an integer, 1 when it is odd, 2 when even.
        var yIsInteger = 0;
        if (hx < 0)
        {
            if (iy >= 0x43400000)
            {
                yIsInteger = 2;
            }
            else if (iy >= 0x3ff00000)
            {
                var k = (iy >> 20) - 0x3ff;
                if (k > 20)
                {
                    var j = ly >> (52 - k);
                    if (j << (52 - k) == ly)
                    {
                        yIsInteger = 2 - (int)(j & 1);
                    }
                }
                else if (ly == 0)
                {
                    var j = iy >> (20 - k);
                    if (j << (20 - k) == iy)
                    {
                        yIsInteger = 2 - (j & 1);
                    }
                }
            }
        }

        if (ly == 0)
        {
            if (iy == 0x7ff00000)
            {
                // y is ±Infinity.
                if (((ix - 0x3ff00000) | (int)lx) == 0)
                {
                    return double.NaN; // (±1)^±Infinity
                }

                if (ix >= 0x3ff00000)
                {
                    return hy >= 0 ? y : 0.0; // |x| > 1
                }

                return hy < 0 ? -y : 0.0; // |x| < 1
            }

            if (iy == 0x3ff00000)
            {
                return hy < 0 ? 1.0 / x : x; // y is ±1
            }

            if (hy == 0x40000000)
            {
                return x * x; // y is 2
            }

            if (hy == 0x3fe00000 && hx >= 0)
            {
                return Math.Sqrt(x); // y is 0.5, x >= +0
            }
        }

        var ax = Math.Abs(x);
        if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000))
        {
            // x is ±0, ±Infinity or ±1.
            var z = ax;
            if (hy < 0)
            {
                z = 1.0 / z;
            }

            if (hx < 0)
            {
                if (((ix - 0x3ff00000) | yIsInteger) == 0)
                {
                    z = double.NaN; // (-1)^non-integer
                }
                else if (yIsInteger == 1)
                {
                    z = -z;
                }
            }

            return z;
        }

        var n = (int)((uint)hx >> 31) ^ 1; // 1 for x >= 0, 0 for x < 0 (fdlibm: (hx >> 31) + 1)
        if ((n | yIsInteger) == 0)
        {
            return double.NaN; // negative x to a non-integer power
        }

        var sign = (n | (yIsInteger - 1)) == 0 ? -1.0 : 1.0; // negative x to an odd power

        double t1, t2;
        if (iy > 0x41e00000)
        {
            // |y| > 2^31.
            if (iy > 0x43f00000)
            {
                // |y| > 2^64: overflow or underflow whatever x is (x is not ±1 here).
                if (ix <= 0x3fefffff)
                {
                    return hy < 0 ? Huge * Huge : Tiny * Tiny;
                }

                if (ix >= 0x3ff00000)
                {
                    return hy > 0 ? Huge * Huge : Tiny * Tiny;
                }
            }

            if (ix < 0x3fefffff)
            {
                return hy < 0 ? sign * Huge * Huge : sign * Tiny * Tiny;
            }

            if (ix > 0x3ff00000)
            {
                return hy > 0 ? sign * Huge * Huge : sign * Tiny * Tiny;
            }

            // |1 - x| <= 2^-20: log(x) from x - x^2/2 + x^3/3 - x^4/4.
            var t = ax - 1.0;
            var w = t * t * (0.5 - (t * (0.3333333333333333333333 - (t * 0.25))));
            var u = Ivln2H * t;
            var v = (t * Ivln2L) - (w * Ivln2);
            t1 = WithLowZero(u + v);
            t2 = v - (t1 - u);
        }
        else
        {
            n = 0;
            if (ix < 0x00100000)
            {
                // Subnormal x.
                ax *= Two53;
                n -= 53;
                ix = High(ax);
            }

            n += (ix >> 20) - 0x3ff;
            var j = ix & 0x000fffff;
            ix = j | 0x3ff00000; // normalized
            int k;
            if (j <= 0x3988E)
            {
                k = 0; // |x| < sqrt(3/2)
            }
            else if (j < 0xBB67A)
            {
                k = 1; // |x| < sqrt(3)
            }
            else
            {
                k = 0;
                n += 1;
                ix -= 0x00100000;
            }

            ax = WithHigh(ax, ix);

            // ss = s_h + s_l = (x - 1) / (x + 1) or (x - 1.5) / (x + 1.5).
            var u = ax - Bp[k];
            var v = 1.0 / (ax + Bp[k]);
            var ss = u * v;
            var sH = WithLowZero(ss);
            var tH = FromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
            var tL = ax - (tH - Bp[k]);
            var sL = v * ((u - (sH * tH)) - (sH * tL));

            // log(ax).
            var s2 = ss * ss;
            var r = s2 * s2 * (L1 + (s2 * (L2 + (s2 * (L3 + (s2 * (L4 + (s2 * (L5 + (s2 * L6))))))))));
            r += sL * (sH + ss);
            s2 = sH * sH;
            tH = WithLowZero(3.0 + s2 + r);
            tL = r - ((tH - 3.0) - s2);

            // u + v = ss * (1 + ...).
            u = sH * tH;
            v = (sL * tH) + (tL * ss);

            // 2 / (3 log2) * (ss + ...).
            var pH = WithLowZero(u + v);
            var pL = v - (pH - u);
            var zH = CpH * pH;
            var zL = (CpL * pH) + (pL * Cp) + DpL[k];

            // log2(ax) = (ss + ...) * 2 / (3 log2) = n + dp_h + z_h + z_l.
            var tn = (double)n;
            t1 = WithLowZero(((zH + zL) + DpH[k]) + tn);
            t2 = zL - (((t1 - tn) - DpH[k]) - zH);
        }

        // (y1 + y2) * (t1 + t2), with y split into a high and a low part.
        var y1 = WithLowZero(y);
        var pl = ((y - y1) * t1) + (y * t2);
        var ph = y1 * t1;
        var zz = pl + ph;
        var jz = High(zz);
        var iz = (int)Low(zz);
        if (jz >= 0x40900000)
        {
            // z >= 1024.
            if (((jz - 0x40900000) | iz) != 0 || pl + Ovt > zz - ph)
            {
                return sign * Huge * Huge;
            }
        }
        else if ((jz & 0x7fffffff) >= 0x4090cc00)
        {
            // z <= -1075.
            if (((jz - unchecked((int)0xc090cc00)) | iz) != 0 || pl <= zz - ph)
            {
                return sign * Tiny * Tiny;
            }
        }

        // 2^(ph + pl).
        var i = jz & 0x7fffffff;
        var kk = (i >> 20) - 0x3ff;
        var nn = 0;
        if (i > 0x3fe00000)
        {
            // |z| > 0.5: nn = [z + 0.5].
            nn = jz + (0x00100000 >> (kk + 1));
            kk = ((nn & 0x7fffffff) >> 20) - 0x3ff;
            var tt = FromWords(nn & ~(0x000fffff >> kk), 0);
            nn = ((nn & 0x000fffff) | 0x00100000) >> (20 - kk);
            if (jz < 0)
            {
                nn = -nn;
            }

            ph -= tt;
        }

        var t0 = WithLowZero(pl + ph);
        var uu = t0 * Lg2H;
        var vv = ((pl - (t0 - ph)) * Lg2) + (t0 * Lg2L);
        var z2 = uu + vv;
        var ww = vv - (z2 - uu);
        var tsq = z2 * z2;
        var tt1 = z2 - (tsq * (P1 + (tsq * (P2 + (tsq * (P3 + (tsq * (P4 + (tsq * P5)))))))));
        // fdlibm computes r = (z*t1)/(t1-2) - (w+z*w); V8 divides by the whole difference instead, and its results
        // are what JavaScript returns, so that grouping is kept.
        var rr = (z2 * tt1) / ((tt1 - 2.0) - (ww + (z2 * ww)));
        z2 = 1.0 - (rr - z2);
        var jj = High(z2) + (nn << 20);
        z2 = (jj >> 20) <= 0 ? Math.ScaleB(z2, nn) : WithHigh(z2, jj);
        return sign * z2;
    }

    private static int High(double d) => (int)(BitConverter.DoubleToInt64Bits(d) >> 32);

    private static uint Low(double d) => (uint)BitConverter.DoubleToInt64Bits(d);

    private static double FromWords(int high, uint low) => BitConverter.Int64BitsToDouble(((long)high << 32) | low);

    private static double WithHigh(double d, int high) => FromWords(high, Low(d));

    private static double WithLowZero(double d) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(d) & unchecked((long)0xFFFFFFFF00000000));
}
