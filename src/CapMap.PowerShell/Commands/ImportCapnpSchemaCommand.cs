using System.Management.Automation;
using CapMap.PowerShell.Internal;

namespace CapMap.PowerShell.Commands;

/// <summary>
/// Loads a Cap'n Proto schema: a .capnp file (compiled with <c>capnp compile -o-</c>) or a precompiled
/// CodeGeneratorRequest. -SavePrecompiled writes the request so later imports need no compiler.
/// </summary>
[Cmdlet(VerbsData.Import, "CapnpSchema", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(CapnpSchema))]
public sealed class ImportCapnpSchemaCommand : ExistingFileCmdletBase
{
    private string[] _importPaths = Array.Empty<string>();
    private int _loaded;

    /// <summary>Directories searched for imports (<c>capnp compile -I</c>).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] ImportPath { get; set; } = Array.Empty<string>();

    /// <summary>Also write the compiled CodeGeneratorRequest to this file (load it later without capnp).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SavePrecompiled { get; set; }

    /// <summary>Replace an existing -SavePrecompiled file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        var imports = new List<string>();
        foreach (string import in ImportPath)
        {
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(import);
            if (!Directory.Exists(resolved))
            {
                ThrowTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound,
                    new DirectoryNotFoundException($"The import directory '{resolved}' does not exist."), import);
            }
            imports.Add(resolved);
        }
        _importPaths = imports.ToArray();
    }

    protected override void ProcessFile(string file)
    {
        CapnpSchema schema;
        try
        {
            schema = SchemaFiles.Load(file, _importPaths);
        }
        catch (CapMapErrorException e) when (e.ErrorId == ErrorIds.CapnpToolNotFound)
        {
            ThrowTerminating(e); // no other .capnp file can be compiled either
            return;
        }
        catch (CapMapErrorException e)
        {
            WriteNonTerminating(e);
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteNonTerminating(ErrorIds.InvalidSchema, ErrorCategory.ReadError, e, file);
            return;
        }

        if (SavePrecompiled is not null)
        {
            if (++_loaded > 1)
            {
                ThrowTerminating(ErrorIds.TooManyInputs, ErrorCategory.InvalidArgument,
                    new ArgumentException("-SavePrecompiled takes one schema at a time; more than one file was given."), SavePrecompiled);
            }
            Save(schema);
        }
        WriteObject(schema);
    }

    private void Save(CapnpSchema schema)
    {
        string target = ResolveNewFile(SavePrecompiled!, Force);
        if (!ShouldProcess(target, $"Save the precompiled schema of '{schema.FileName}'")) return;
        try
        {
            File.WriteAllBytes(target, schema.GetRequestBytes());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.CreateFailed, ErrorCategory.WriteError, e, target);
        }
    }
}
