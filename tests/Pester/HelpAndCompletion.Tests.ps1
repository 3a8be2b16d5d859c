#Requires -Version 7.4
# MAML help for every cmdlet, tab completion of -RootType and -Field, and the conventions every cmdlet follows.

BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:Cmdlets = @((Import-PowerShellDataFile -LiteralPath (Join-Path $repoRoot 'CapMap.psd1')).CmdletsToExport)
    $script:Writers = @('Import-CapnpSchema', 'New-CapnpMappedMessage', 'Add-CapnpStruct', 'Complete-CapnpMappedMessage',
        'Save-CapnpMappedMessage', 'Repair-CapnpMappedMessage', 'Resize-CapnpMappedMessage', 'Export-CapnpMessage')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Every cmdlet' {
    It '<_> is exported' -ForEach $Cmdlets {
        Get-Command -Name $_ -Module CapMap -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It '<_> declares its output type' -ForEach $Cmdlets {
        (Get-Command -Name $_).OutputType | Should -Not -BeNullOrEmpty
    }

    It '<_> supports -WhatIf and -Confirm (it writes files)' -ForEach $Writers {
        $parameters = (Get-Command -Name $_).Parameters.Keys
        $parameters | Should -Contain 'WhatIf'
        $parameters | Should -Contain 'Confirm'
    }

    It '<_> has help with synopsis, description, documented parameters and at least two examples' -ForEach $Cmdlets {
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$_ *[[]*"    # not the auto-generated syntax line
        ($help.description.Text -join '') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.examples.example) { $example.code | Should -Match $_ }
        $documented = @($help.parameters.parameter | Where-Object { ($_.description.Text -join '').Trim() }).name
        foreach ($parameter in (Get-Command -Name $_).Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $documented | Should -Contain $parameter -Because "parameter -$parameter of $_ needs a description"
        }
    }
}

Describe 'Help examples' {
    # Users paste examples into PowerShell: each must be PowerShell that parses (no `< file` redirection, which only
    # a Unix shell has, no unbalanced quotes). The code is parsed, not run: examples name files the reader has.
    It 'every example of <_> parses as PowerShell' -ForEach $Cmdlets {
        foreach ($example in (Get-Help -Name $_ -Full).examples.example) {
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput([string] $example.code, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "the example '$($example.code)' must parse"
        }
    }

    It 'the about_CapMap topic shows no < redirection, which PowerShell does not have' {
        $about = Get-Content -Raw -LiteralPath (Join-Path (Split-Path $ModuleManifest) 'en-US/about_CapMap.help.txt')
        $about | Should -Not -Match '\S+\s<\s+\S+\.bin'
    }
}

Describe 'Tab completion' {
    It 'completes -RootType from a schema path' {
        $line = "New-CapnpMappedMessage -Path x.bin -Schema '$SchemaPath' -RootType "
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be @('Batch', 'Report', 'Detail', 'Host', 'Record')
    }

    It 'completes -RootType by prefix' {
        $line = "Export-CapnpMessage -Path x.bin -Schema '$SchemaPath' -RootType Re"
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be @('Report', 'Record')
    }

    It 'completes -RootType from a schema object in a variable' {
        $global:CapMapTestSchema = $Schema
        try {
            $line = 'Import-CapnpMessage -Path x.bin -Schema $CapMapTestSchema -RootType B'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Batch')
        }
        finally { Remove-Variable -Name CapMapTestSchema -Scope Global }
    }

    It 'completes -Field with lists first, nested paths included' {
        $line = "Export-CapnpMessage -Path x.bin -Schema '$SchemaPath' -RootType Report -Field "
        $texts = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $texts | Should -Contain 'records'
        $texts | Should -Contain 'hosts'
        $texts | Should -Contain 'detail.samples'
        $texts | Should -Contain 'primary'
        $texts | Should -Contain 'meta'
        $texts[0] | Should -BeIn 'detail.samples', 'hosts', 'records'
    }

    It 'completes -Field of Add-CapnpStruct from the message''s root' {
        $global:CapMapTestMessage = New-CapnpMappedMessage -Path (Join-Path $TestDrive 'complete.bin') -Schema $Schema -RootType Report
        try {
            $line = 'Add-CapnpStruct -Message $CapMapTestMessage -Field det'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('detail.samples', 'detail')
        }
        finally {
            $CapMapTestMessage.Dispose()
            Remove-Variable -Name CapMapTestMessage -Scope Global
        }
    }

    It 'offers nothing (and does not fail) without a usable schema' {
        $line = "New-CapnpMappedMessage -Path x.bin -Schema '/no/such.capnp' -RootType "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches |
            Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
    }
}
