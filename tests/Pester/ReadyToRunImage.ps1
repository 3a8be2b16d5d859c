# The ReadyToRun header of a managed PE image: null for an IL-only assembly, else its format version. A runtime runs
# the precompiled code only of images whose major version is its own (System.Private.CoreLib's), so the tests compare
# the module's assemblies with CoreLib.
function Get-ReadyToRunVersion {
    param([Parameter(Mandatory)] [byte[]] $Image)
    $reader = [Reflection.PortableExecutable.PEReader]::new([Collections.Immutable.ImmutableArray]::Create($Image))
    try {
        $header = $reader.PEHeaders.CorHeader
        if ($null -eq $header -or $header.ManagedNativeHeaderDirectory.Size -eq 0) { return $null }
        $native = $reader.GetSectionData($header.ManagedNativeHeaderDirectory.RelativeVirtualAddress).GetReader()
        if ($native.ReadUInt32() -ne 0x00525452) { return $null } # 'RTR'
        return [Version]::new($native.ReadUInt16(), $native.ReadUInt16())
    }
    finally { $reader.Dispose() }
}

function Get-RuntimeReadyToRunMajor {
    (Get-ReadyToRunVersion ([IO.File]::ReadAllBytes([object].Assembly.Location))).Major
}
