namespace SlaGrains.Application;

/// <summary>
/// Marks a command or query service of the application layer: <see cref="ApplicationServices.AddSlaGrainsApplication"/>
/// registers every marked class as a singleton (they hold no per-request state: the caller is a parameter).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ApplicationServiceAttribute : Attribute;
