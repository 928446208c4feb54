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

    public override int Arity => Parameters.Count;
}

/// <summary>The call site handed to built-in implementations.</summary>
internal readonly struct CallSite(Frame environment, object? input)
{
    public Frame Environment { get; } = environment;

    public object? Input { get; } = input;

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
