; Inno Setup 6 script: a Windows installer for the one-folder build of packaging/leaddesk.spec.
;
;   pyinstaller packaging\leaddesk.spec --noconfirm --distpath dist --workpath build\pyinstaller
;   iscc packaging\leaddesk.iss                         -> dist\LeadDesk-<version>-setup.exe
;
; The version is read from leaddesk.exe's version resource (the spec writes it from
; leaddesk.__version__); /DAppVersion=... overrides it, /DDistDir=... names another build.
; Installs for the current user by default (no administrator rights, into
; %LOCALAPPDATA%\Programs\LeadDesk); the first page offers all users instead, as does
; /ALLUSERS on the command line. Uninstalling removes the program, never the agent's leads,
; settings or logs (in %LOCALAPPDATA%\LeadDesk): a reinstall finds them as they were.

#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\dist\leaddesk"
#endif
#define AppExe DistDir + "\leaddesk.exe"
#if !FileExists(AppExe)
  #error No build at DistDir: run PyInstaller with packaging\leaddesk.spec first.
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AppExe, "ProductVersion")
#endif

[Setup]
; AppId identifies LeadDesk to Windows across versions: never change it.
AppId={{790157B4-8476-4FC6-9039-0424E1CD52A0}
AppName=LeadDesk
AppVersion={#AppVersion}
AppVerName=LeadDesk {#AppVersion}
AppPublisher=LeadDesk
VersionInfoVersion={#GetVersionNumbersString(AppExe)}
DefaultDirName={autopf}\LeadDesk
DefaultGroupName=LeadDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#DistDir}\..
OutputBaseFilename=LeadDesk-{#AppVersion}-setup
SetupIconFile={#DistDir}\_internal\leaddesk.ico
UninstallDisplayIcon={app}\leaddesk.exe
UninstallDisplayName=LeadDesk
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An update while LeadDesk runs: Setup offers to close it first (Restart Manager).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The previous version's bundled libraries: an update must not mix two builds' files.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\LeadDesk"; Filename: "{app}\leaddesk.exe"; Comment: "Enter home-security leads and deliver them to SecurityTrax"
Name: "{autodesktop}\LeadDesk"; Filename: "{app}\leaddesk.exe"; Tasks: desktopicon

[Registry]
; The leaddesk:// scheme: a dialer's web form opens leaddesk://new?... links, which Windows
; hands to `leaddesk.exe open "<link>"` (the open window's form is filled; nothing is sent).
; HKA: the current user's classes, or the machine's when installed for all users.
Root: HKA; Subkey: "Software\Classes\leaddesk"; ValueType: string; ValueName: ""; ValueData: "URL:LeadDesk link"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\leaddesk"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\leaddesk\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\leaddesk.exe"",0"
Root: HKA; Subkey: "Software\Classes\leaddesk\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\leaddesk.exe"" open ""%1"""

[Run]
Filename: "{app}\leaddesk.exe"; Description: "{cm:LaunchProgram,LeadDesk}"; Flags: nowait postinstall skipifsilent
