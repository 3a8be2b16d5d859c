#Requires -Version 7.4
# Interpret first, compile when hot: the getters that read .NET objects' properties run by reflection for the first
# CompileWhenHot.Threshold reads of each property and compiled from then on. A file written from a few objects
# (below the threshold) and one written from many (past it) must hold the same records for the same objects.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # Compiled to a file, so that the child processes below load the same type.
    $script:GadgetAssembly = Join-Path $TestDrive 'CapMapHotTests.dll'
    if (-not ('CapMapHotTests.Gadget' -as [type])) {
        Add-Type -OutputAssembly $GadgetAssembly -OutputType Library -TypeDefinition @'
namespace CapMapHotTests
{
    public sealed class Gadget
    {
        public Gadget(int id) { Id = id; }
        public int Id { get; }
        public string Name => Id % 3 == 0 ? null : "gadget-" + Id;
        public System.DateTime When => new System.DateTime(2026, 1, 1, 0, 0, 0, System.DateTimeKind.Utc).AddMinutes(Id);
        public double Ratio => Id / 8.0;
        public int Broken => throw new System.InvalidOperationException("not available");
    }
}
'@
        Add-Type -LiteralPath $GadgetAssembly
    }
    $script:Threshold = [CapMap.Clr.CompileWhenHot[object, object]]::Threshold
    # What a record holds: every property's name, value and .NET type, in order.
    function Format-Record($Row) {
        ($Row.PSObject.Properties | ForEach-Object { '{0}={1}:{2}' -f $_.Name, $_.Value, $(if ($null -eq $_.Value) { 'null' } else { $_.Value.GetType().Name }) }) -join '; '
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Objects read below and past the compile threshold' {
    BeforeAll {
        $script:Few = Join-Path $TestDrive 'few.bin'
        $script:Many = Join-Path $TestDrive 'many.bin'
        $script:ManyCount = $Threshold + 100
        # A fresh process per file, so the few are read where no getter has been compiled yet.
        $pwsh = [Environment]::ProcessPath
        $prefix = @(if ((Split-Path -Leaf $pwsh) -in 'dotnet', 'dotnet.exe') { Join-Path $PSHOME 'pwsh.dll' })
        $type = [CapMapHotTests.Gadget].Assembly.Location
        $script:Compiled = @{}
        foreach ($case in @(@{ File = $Few; Count = 5 }, @{ File = $Many; Count = $ManyCount })) {
            $script = @"
Add-Type -LiteralPath '$type'
Import-Module '$ModuleManifest'
`$gadgets = foreach (`$i in 0..$($case.Count - 1)) { [CapMapHotTests.Gadget]::new(`$i) }
`$gadgets | Export-CapnpMessage -Path '$($case.File)' -WarningAction SilentlyContinue
`$getter = [CapMap.Clr.PropertyGetters]::Find([CapMapHotTests.Gadget], 'Id')
[CapMap.Clr.CompileWhenHot[object, object]]::IsCompiled(`$getter)
"@
            $output = & $pwsh @prefix -NoProfile -NonInteractive -Command $script 2>&1
            if ($LASTEXITCODE -ne 0) { throw "Export of $($case.Count) gadgets failed: $($output -join "`n")" }
            $case.File | Should -Exist
            $Compiled[$case.Count] = "$(@($output)[-1])" -eq 'True'
        }
    }

    It 'read the few by reflection and the many through compiled getters' {
        $Compiled[5] | Should -BeFalse
        $Compiled[$ManyCount] | Should -BeTrue
    }

    It 'holds the same records for the same objects on both sides' {
        $few = @(Import-CapnpMessage -Path $Few)
        $many = @(Import-CapnpMessage -Path $Many)
        $few.Count | Should -Be 5
        $many.Count | Should -Be $ManyCount
        for ($i = 0; $i -lt 5; $i++) { Format-Record $many[$i] | Should -BeExactly (Format-Record $few[$i]) }
        $few[0].PSObject.TypeNames[0] | Should -Be $many[0].PSObject.TypeNames[0]
    }

    It 'reads every value right past the threshold, a throwing getter as null' {
        $many = @(Import-CapnpMessage -Path $Many)
        foreach ($i in 0, 1, ($Threshold - 1), $Threshold, ($Threshold + 1), ($ManyCount - 1)) {
            $g = [CapMapHotTests.Gadget]::new($i)
            $many[$i].Id | Should -Be $g.Id
            $many[$i].Name | Should -Be $g.Name
            $many[$i].When | Should -Be $g.When
            $many[$i].Ratio | Should -Be $g.Ratio
            $many[$i].Broken | Should -BeNullOrEmpty
        }
    }
}
