namespace CapMap.Schema;

/// <summary>What an annotation declaration may be applied to (<c>targetsFile</c> .. <c>targetsAnnotation</c>).</summary>
[Flags]
public enum AnnotationTargets
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>May annotate a file (<c>targetsFile</c>).</summary>
    File = 1 << 0,

    /// <summary>May annotate a const (<c>targetsConst</c>).</summary>
    Const = 1 << 1,

    /// <summary>May annotate an enum (<c>targetsEnum</c>).</summary>
    Enum = 1 << 2,

    /// <summary>May annotate an enumerant (<c>targetsEnumerant</c>).</summary>
    Enumerant = 1 << 3,

    /// <summary>May annotate a struct (<c>targetsStruct</c>).</summary>
    Struct = 1 << 4,

    /// <summary>May annotate a field (<c>targetsField</c>).</summary>
    Field = 1 << 5,

    /// <summary>May annotate an union (<c>targetsUnion</c>).</summary>
    Union = 1 << 6,

    /// <summary>May annotate a group (<c>targetsGroup</c>).</summary>
    Group = 1 << 7,

    /// <summary>May annotate an interface (<c>targetsInterface</c>).</summary>
    Interface = 1 << 8,

    /// <summary>May annotate a method (<c>targetsMethod</c>).</summary>
    Method = 1 << 9,

    /// <summary>May annotate a param (<c>targetsParam</c>).</summary>
    Param = 1 << 10,

    /// <summary>May annotate an annotation (<c>targetsAnnotation</c>).</summary>
    Annotation = 1 << 11,
}
