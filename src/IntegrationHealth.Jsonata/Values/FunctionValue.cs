using IntegrationHealth.Jsonata.Evaluation;
using IntegrationHealth.Jsonata.Parsing;

namespace IntegrationHealth.Jsonata.Values;

/// <summary>A function value: a lambda defined in an expression, a built-in, or a host function.</summary>
internal abstract class FunctionValue
{
    /// <summary>Signature used to validate (and coerce) arguments before the call, when present.</summary>
    public Signature? Signature { get; init; }

    /// <summary>Number of declared parameters; higher-order functions pass only this many of (value, index, array).</summary>
    public abstract int Arity { get; }
}

/// <summary>A closure created by <c>function($x){...}</c> (or a partial application of one).</summary>
internal sealed class LambdaValue : FunctionValue
{
    public required Node? Body { get; init; }

    public required object? Input { get; init; }

    public required Frame Environment { get; init; }

    public required IReadOnlyList<string> Parameters { get; init; }

    /// <summary>A tail-call thunk: the body is a call to evaluate by the trampoline instead of recursing.</summary>
    public bool IsThunk { get; init; }

    /// <summary>For partially applied built-ins: the built-in to call with the bound parameters.</summary>
    public NativeFunction? NativeBody { get; init; }

    /// <summary>For partially applied built-ins: bit i is set when argument i was bound by the partial application
    /// itself rather than passed in the later call (see <see cref="CallSite.BoundByPartialApplication"/>).</summary>
    public int PartiallyBoundArguments { get; init; }

    public override int Arity => Parameters.Count;
}

/// <summary>The call site handed to built-in implementations.</summary>
internal readonly struct CallSite(Frame environment, object? input, int partiallyBoundArguments = 0)
{
    public Frame Environment { get; } = environment;

    public object? Input { get; } = input;

    /// <summary>
    /// True when argument <paramref name="index"/> was bound by a partial application (<c>$f(?, x)</c>) instead of
    /// being passed in this call. jsonata-js wraps a function passed as a call argument in a JavaScript closure but
    /// binds partial-application arguments as they are, which is visible where a built-in turns a function into text.
    /// </summary>
    public bool BoundByPartialApplication(int index) => index < 32 && (partiallyBoundArguments & (1 << index)) != 0;

    public EvaluationContext Context => Environment.Context;

    /// <summary>Invokes a function argument (lambda, built-in or host function).</summary>
    public object? Apply(FunctionValue function, object?[] arguments) =>
        Evaluator.Apply(function, arguments, null, Environment);
}

internal delegate object? NativeImplementation(in CallSite site, object?[] arguments);

/// <summary>A function implemented in C#: the built-in library, regex matchers, transforms and host functions.</summary>
internal sealed class NativeFunction(string name, int arity, NativeImplementation implementation) : FunctionValue
{
    public string Name { get; } = name;

    public NativeImplementation Implementation { get; } = implementation;

    public override int Arity { get; } = arity;
}
