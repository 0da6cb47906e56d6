; Inno Setup 6 script: installs the PyInstaller one-folder build of Face Station (issue 11, item 4).
; Written, never compiled or run: no Windows machine was available (docs/installers-windows-macos.md).
;
;   iscc /DAppVersion=0.1.0 packaging\windows\face-station.iss
;
; Expects dist\face-station\ (face-station.exe, "Face Station.exe", _internal\) from
;   python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\face_station.spec
; and writes dist\installers\Face-Station-<version>-setup.exe.
;
; Per-user data (the encrypted store, its key file) is in %LOCALAPPDATA%\face-station, written by
; the program, never by this installer; uninstalling leaves it. To retire a station:
;   face-station decommission --confirm "DESTROY ALL DATA"
; then delete %LOCALAPPDATA%\face-station.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (the workflow reads it from pyproject.toml)
#endif

#define AppName "Face Station"
#define BuildDir AddBackslash(SourcePath) + "..\..\dist\face-station"
#define SetupIcon AddBackslash(SourcePath) + "..\icons\face-station.ico"

[Setup]
; AppId identifies the installation across upgrades: never change it.
AppId={{6F1C2E8A-4B7D-4C1E-9A53-2D8E0F7B6C41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Face Station maintainers
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; The pinned wheels are win_amd64 only.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Program Files and the machine-wide PATH need an administrator.
PrivilegesRequired=admin
ChangesEnvironment=yes
UninstallDisplayIcon={app}\Face Station.exe
OutputDir=..\..\dist\installers
OutputBaseFilename=Face-Station-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
#if FileExists(SetupIcon)
SetupIconFile={#SetupIcon}
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no Simplified Chinese messages file among its official ones; add an unofficial
; ChineseSimplified.isl from the Inno Setup translations page here when one is vetted.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add face-station.exe (the command line) to the system PATH"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\Face Station.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\Face Station.exe"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
  ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
  Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\Face Station.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  EnvKey = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';

function NotOnPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKLM, EnvKey, 'Path', Path) then
    Result := True
  else
    Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

// On uninstall, take the install folder back out of PATH (only that entry); the data folder is
// left alone on purpose.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Dir: string;
  At: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not RegQueryStringValue(HKLM, EnvKey, 'Path', Path) then
    Exit;
  Dir := ExpandConstant('{app}');
  Path := ';' + Path + ';';
  At := Pos(';' + Uppercase(Dir) + ';', Uppercase(Path));
  if At = 0 then
    Exit;
  Delete(Path, At, Length(Dir) + 1);
  Path := Copy(Path, 2, Length(Path) - 2);
  RegWriteExpandStringValue(HKLM, EnvKey, 'Path', Path);
end;
