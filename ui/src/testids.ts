/**
 * Stable `data-test` selectors for the end-to-end tests (WebDriver on the real window).
 * No i18n here: these strings never change with the language.
 *
 * Where each attribute lands:
 * - el-input (text fields, incl. the numeric fields of the unit form): Element Plus puts
 *   non-class/style attributes on the real <input>, so use `input[data-test="unit-name"]`
 *   (and `textarea[data-test=...]` for multi-line ones). Typing into that element updates the model.
 * - el-select / el-tree-select (unit-kind, person-unit): the attribute is on the select's
 *   wrapper <div class="el-select">; click it, then type into `[data-test="person-unit"] input`
 *   to filter and click the option in the popper (`.el-select-dropdown__item`, or
 *   `.el-tree-node__label` for tree selects) that is displayed.
 * - buttons: on the <button> itself.
 * - el-form (unit-form, person-form, venue-form, team-form): on the <form> inside the dialog.
 * - el-dialog (import-dialog): on the visible dialog box (<div class="el-dialog">).
 * - el-table (people-table, import-problems, …): on the table wrapper <div class="el-table">;
 *   cells with ids (person-phone, import-problem-row) are <span>s inside the cells whose text
 *   is exactly the value (the masked phone; the spreadsheet row number, header = row 1).
 * - unit-node: a <span> whose text is exactly the unit's name (kind tag and grid count are
 *   siblings, not inside it); clicking it selects the unit.
 * - unit-total-residents: the figure as plain digits without separators (also in `data-value`);
 *   the other figures are unit-total-households, unit-total-under18, … (same pattern). For a grid
 *   they are its own profile, for any other unit the totals rolled up from the grids below.
 * - person-phone is used twice, as the brief asks: `span[data-test="person-phone"]` is the masked
 *   phone in each table row, `input[data-test="person-phone"]` the phone field of the form. The
 *   form input starts EMPTY (the stored number is shown masked as its placeholder and next to it);
 *   typing sends the new number, leaving it empty keeps the stored one (phone: null), and
 *   phone-clear removes it (phone: ""). Same for venue-phone.
 * - export menus: clicking unit-export / people-export / venues-export opens a menu with items
 *   export-csv, export-xlsx, template-csv, template-xlsx (rendered only while the menu is open).
 * - Dialogs are rendered inside their view (not appended to body) and views are kept alive;
 *   only the current view is attached to the document, so ids are unique in the document.
 * - Plan view (计划): the calendar container is plan-calendar; every rendered event element
 *   (FullCalendar's <a class="fc-event">, or the <tr> of the list view) carries
 *   data-test="plan-event" and data-session-id="<session id>". Only the events that fit are
 *   rendered (month cells show "+N" links), so look for a session in the week or list view or
 *   narrow the filter. Tabs are switched by clicking plan-tab-calendar / -agenda / -gaps /
 *   -topics / -templates (spans inside the tab headers).
 * - Session form: session-title is the <input>; session-kind, session-template, session-venue,
 *   session-unit, session-person, session-role, session-repeat-nth and session-repeat-weekday are
 *   selects (wrapper); session-start / session-end (like person-joined and venue-letter) sit on the date
 *   picker's form item, because Element Plus hands a picker's attributes to its popup: use
 *   `[data-test="session-start"] input` (type
 *   "2026-03-07 09:30" and press Enter); session-repeat is the radio group (click the
 *   <input value="weekly|monthly_weekday|monthly_day|none"> inside it); session-repeat-count and
 *   session-repeat-every are el-input-number (the <input> inside). Person rows repeat
 *   session-person / session-role in order.
 * - Warnings (plan-warnings): a dialog rendered only while open (from the session form and from
 *   drag and drop in the calendar); plan-warnings-confirm saves anyway, plan-warnings-cancel goes
 *   back (and reverts a drag). A series' occurrence asks session-scope first: session-scope-one
 *   or session-scope-later.
 * - Record view (记录): tabs are switched by clicking record-tab-sessions / record-tab-followups /
 *   record-tab-bundles (spans in the tab headers). The session list (record-table) shows one row
 *   per session to record / review / look at; record-row is a <span> whose text is the session's
 *   title, with data-session-id; clicking it (or record-open, a button) opens the record form in
 *   a drawer (record-panel; the el-form is record-form). record-filter-month wraps the month
 *   picker (`[data-test="record-filter-month"] input`), record-filter-state is a select,
 *   record-search an <input>.
 * - Record form: record-start / record-end sit on the date pickers' form items:
 *   `[data-test="record-start"] input` (type "2026-03-07 09:30", press Enter). record-headcount,
 *   record-split-<audience> (elderly, students, parents, enterprise_staff, finance_staff, merchants,
 *   public — one per audience of the session, plus any added through the record-split-add select),
 *   record-speaker-hours and record-material-qty are el-input-numbers: type into
 *   `[data-test="record-headcount"] input` (the value is taken on input). record-split-hint is a
 *   <span> "已分配 X / 总数 Y" with class "over" (red) when the split exceeds the headcount.
 *   record-speaker / record-material are selects (repeated per row, in order), record-speaker-add /
 *   record-material-add add rows; record-signin (trainings) / record-notes / record-reason are
 *   <textarea>s. Buttons: record-save (also Ctrl+S, or Enter in a one-line field), record-review
 *   (held sessions with a record; confirms in an ElMessageBox: click its primary button
 *   `.el-message-box__btns .el-button--primary`), record-correct (reported: unlocks the form and
 *   shows record-reason), record-cancel-correct. record-error / record-warnings are the alerts,
 *   record-corrections the corrections timeline, record-state the state tag, record-locked the
 *   lock notice.
 * - Photos: record-photo-caption is an <input>, record-add-photo the button (Rust opens the file
 *   dialog), record-photo the <img> thumbnails (data-photo-id), record-photo-remove the delete
 *   button over each (confirm), record-photo-preview the large preview's box.
 * - Door-to-door sessions show visits-panel: visit-add, visits-table, visit-row (<span>, grid name,
 *   data-visit-id), visit-edit / visit-remove (confirm). The dialog's form is visit-form: visit-grid
 *   and visit-visitors are selects (wrapper; type into `[data-test="visit-grid"] input`), visit-date
 *   on the picker's form item, visit-visited / visit-not-home / visit-refused / visit-warnings
 *   el-input-numbers (`… input`), visit-building an <input>, visit-notes a <textarea>, visit-save.
 * - Follow-ups (预警回访): case-add, followup-settings (dialog followup-settings-form with
 *   input[data-test=followup-schedule], `[data-test=followup-purge-days] input`, followup-settings-save).
 *   due-list holds one due-group per grid worker; due-row is the resident's name link (data-visit-id),
 *   due-date the due date (class "overdue" when overdue), due-overdue the 逾期 tag, due-record the
 *   登记回访 button -> dialog followup-visit-form: followup-visit-date (form item, `… input`),
 *   followup-visit-method (radio group; click `input[value=phone|in_person]`), followup-visit-result /
 *   followup-visit-visitor (selects), followup-visit-notes (<textarea>), followup-visit-save.
 *   cases-table: case-row (name link or the purged notice, data-case-id), span[data-test=case-phone]
 *   (masked), case-progress ("回访 1/3"), case-open / case-edit-row; case-filter-state is a radio group
 *   (`input[value=open|closed|all]`), case-filter-unit a tree select.
 * - Case form (case-form): input[data-test=case-name], input[data-test=case-phone] (required for a new
 *   resident; empty on edit keeps the stored number), case-warned-on (form item, `… input`), case-grid
 *   and case-worker / case-outcome (selects), case-risk (radio buttons `input[value=high|medium|low]`),
 *   case-method (radios `input[value=phone|in_person]`), case-money-stopped (switch), case-notes,
 *   case-save, case-error. After creating, case-schedule lists case-schedule-item (one per follow-up,
 *   the due date as timestamp); case-done closes, case-open-created opens the case page.
 * - Case page (case-drawer): case-drawer-name, case-phone-shown (masked until case-reveal-phone is
 *   clicked — audited), case-visits (timeline), case-record-visit (next open follow-up), case-edit.
 * - Hand-over (交接): bundle-scope (radio group, `input[value=all|reference]`), bundle-since (form item,
 *   `… input`), bundle-export, bundle-exported (success alert with the file name), bundle-import
 *   (file dialog in Rust) -> dialog bundle-preview: bundle-summary holds bundle-count-added /
 *   -updated / -unchanged / -kept / -conflicts (text and data-value are the numbers), bundle-tables
 *   the per-table counts; bundle-import-confirm imports, bundle-import-cancel cancels;
 *   afterwards bundle-result and bundle-import-close. bundle-import-error shows a refused file.
 *   bundle-encrypt (checkbox; always on for all data). Exporting with a passphrase opens
 *   bundle-passphrase-dialog: bundle-passphrase and bundle-passphrase-confirm (inputs),
 *   bundle-passphrase-issues (Rust's strength refusals) or bundle-passphrase-strong,
 *   bundle-passphrase-mismatch, bundle-passphrase-error, bundle-passphrase-submit (enabled only when
 *   strong and equal), bundle-passphrase-cancel. An encrypted file opens bundle-preview locked:
 *   bundle-unlock-passphrase (input), bundle-unlock (button), bundle-unlock-error (wrong passphrase).
 * - Conflicts: conflict-list; each open conflict is a conflict-row (data-conflict-id) with
 *   conflict-fields (table: 字段 / 本机版本 / 交接包版本, differing rows have class "differs-row",
 *   cells conflict-local / conflict-incoming) and the buttons conflict-take-local /
 *   conflict-take-incoming (each confirms in an ElMessageBox). conflicts-empty when there is none;
 *   settled ones are conflict-resolved-row inside the conflicts-resolved collapse.
 * - Print view (打印): tabs print-tab-documents / print-tab-stock (spans in the tab headers).
 *   Documents: the cards print-doc-flyer / -grid-flyers / -signin / -letters / -certificate are
 *   <button role="radio"> (aria-checked="true" on the chosen one); print-doc-desc describes it.
 *   print-form is the <form>; print-session a filterable select (type into `… input`; each option
 *   is li[data-test=print-session-option][data-session-id], upcoming ones first, label
 *   "YYYY-MM-DD 周六 09:30–11:00 title"); print-paper a radio group (`input[value=a4|a5]`);
 *   print-photo-none / print-photo (data-photo-id) are buttons over the record's thumbnails;
 *   print-phone-column a switch; print-unit the unit tree select's form item (`… .el-select__wrapper`,
 *   nodes are li.el-select-dropdown__item inside .el-tree-node); print-venues / print-person
 *   selects; print-from / print-to the date pickers' form items (`… input`). print-preview (also
 *   Enter in a one-line field) and print-save are buttons; print-form-error (a refusal before
 *   anything is sent), print-error (Rust's refusal, translated), print-progress (batches: grid
 *   flyers, letters; with print-cancel), print-saved (success alert naming the file),
 *   print-stale (the options changed since the preview), print-empty (nothing previewed yet).
 * - Preview: print-pages is the scrolling box (data-worker="web" when pdf.js parses in its Web
 *   Worker, "main" when it fell back); each page is canvas[data-test=print-page][data-page=N],
 *   with data-rendered="true" once drawn (pages far from the view are released again, so only
 *   the ones near it are drawn); print-pages-count reads "第 N 页 / 共 M 页" (data-pages=M),
 *   print-file-size the PDF's size, print-zoom the zoom, print-fit-page / print-fit-width buttons.
 * - Flyer settings (print-settings opens the dialog; form print-settings-form): print-qr-text is a
 *   <textarea>, print-qr-caption an <input>, print-logo-state a tag (data-has-logo), print-logo-pick
 *   (Rust opens the file dialog) / print-logo-remove (confirm), print-logo-error, print-settings-save.
 * - Materials stock (物资库存, stock-panel): stock-unit wraps the unit filter; stock-receive /
 *   stock-allocate open the move dialog (move-form, data-kind receipt|allocation): move-material a
 *   select, move-from / move-to the unit selects' form items, move-quantity an el-input-number
 *   (`… input`), move-date the picker's form item, move-source an <input>, move-notes a <textarea>,
 *   move-save, move-error. Summary: stock-count-lines / -low / -negative / -moves (text and
 *   data-value). Tabs stock-tab-stock / -moves / -items. stock-table: each row's item name is
 *   span[data-test=stock-row][data-state=ok|low|negative] (the row <tr> has class stock-low /
 *   stock-negative), stock-balance the balance, stock-state the 低于预警 / 库存为负 tag; warned rows
 *   come first; stock-only-warnings a checkbox; stock-empty. moves-table: move-row tags
 *   (data-move-id), move-void (confirm in an ElMessageBox); moves-empty. materials-table:
 *   material-row (data-material-id), material-edit, material-add -> dialog material-form
 *   (input[data-test=material-name], material-category select, input[data-test=material-unit-label],
 *   `[data-test=material-low-stock] input`, material-save, material-error); materials-empty.
 * - Unlock screen (shown instead of the shell until the encrypted database is open): unlock-screen
 *   is its root, with data-mode = checking | error | missing (first run: set a passphrase) | plain
 *   (an older unencrypted database: set one, it is backed up and encrypted) | encrypted (unlock).
 *   unlock-title the heading; unlock-form the <form>; input[data-test=unlock-passphrase] (focused) and,
 *   when setting one, input[data-test=unlock-confirm]; Enter in either submits (in the first field with
 *   the second one empty it moves on to the second). unlock-issues (Rust's strength refusals, live) or
 *   unlock-strong; unlock-mismatch; unlock-caps (Caps Lock); unlock-error the translated refusal
 *   (口令不正确…; the field is emptied); unlock-no-recovery / unlock-backup-note the warnings;
 *   unlock-submit the button (loading while Rust derives the key; unlock-busy says what it does);
 *   unlock-locale the language select; unlock-boot-error / unlock-retry when db_status failed.
 * - Settings → 数据库口令 (settings-passphrase panel): settings-change-passphrase opens the dialog
 *   change-passphrase-dialog (form change-passphrase-form) with the <input>s change-passphrase-current,
 *   change-passphrase-new and change-passphrase-confirm, change-passphrase-issues / -strong /
 *   -mismatch, change-passphrase-error (e.g. the current one is wrong), change-passphrase-submit
 *   (Enter in a field too) and change-passphrase-cancel. Success closes it with a toast.
 * - Roles (coordinator / captain profiles, docs/ARCHITECTURE.md Roles). Unlock screen: when db_status lists
 *   captain slots, unlock-profile is the radio group 以谁的身份解锁; unlock-profile-coordinator
 *   (checked by default) and one unlock-profile-captain per captain (data-profile-id) are the
 *   el-radio <label>s: click one (or the input[type=radio] inside); the passphrase field then
 *   unlocks as that profile. Header: identity-badge is a <span> whose text is exactly 协调员 or
 *   队长：{label} (data-role = coordinator | captain); identity-switch (a button) opens
 *   identity-switch-dialog (form identity-switch-form): identity-switch-current names the current
 *   identity, identity-switch-target the radio group, identity-switch-coordinator /
 *   identity-switch-captain (data-profile-id) the choices (the current one is disabled),
 *   input[data-test=identity-switch-passphrase] appears only when Rust needs one (to the
 *   coordinator; captain → another captain), identity-switch-no-passphrase says none is needed
 *   (coordinator → captain), identity-switch-no-captains when there are none,
 *   identity-switch-error, identity-switch-submit (Enter too), identity-switch-cancel.
 * - Captain mode: a coordinator-only action is disabled inside span[data-test=coordinator-only]
 *   (tooltip 仅限协调员), or absent in table rows (archive / restore / delete). A phone outside the
 *   captain's grids has no phone-reveal / case-reveal-phone but phone-reveal-outside /
 *   case-reveal-outside. The bundle export shows bundle-since-required and bundle-export stays
 *   disabled until a since date is chosen. Settings: settings-passphrase, profiles-section and
 *   settings-audit are the coordinator's (audit-verify walks the hash chain and shows
 *   audit-verify-result, data-broken="true" when a link fails); a captain gets settings-my-passphrase-section with
 *   settings-my-passphrase, opening my-passphrase-dialog (form my-passphrase-form, inputs
 *   my-passphrase-current / -new / -confirm, my-passphrase-issues / -strong / -mismatch / -error,
 *   my-passphrase-submit / -cancel).
 * - Settings → 队长身份 (profiles-section, coordinator only): profiles-add opens profile-dialog
 *   (form profile-form): input[data-test=profile-label] (profile-label-hint: not encrypted),
 *   profile-units the multiple unit tree select (wrapper; type into `… input`, click the
 *   .el-tree-node__label), inputs profile-passphrase-new / profile-passphrase-confirm with
 *   profile-passphrase-issues / -strong / -mismatch, profile-error, profile-save (Enter too),
 *   profile-cancel. profiles-table lists them: profile-row is a <span> whose text is the label
 *   (data-profile-id), profile-units-cell the units, profile-edit / profile-remove the buttons
 *   (remove confirms in an ElMessageBox: `.el-message-box__btns .el-button--primary`).
 */
export const TID = {
  // navigation
  navUnits: "nav-units",
  navPeople: "nav-people",
  navVenues: "nav-venues",
  navPlan: "nav-plan",
  navRecord: "nav-record",
  navPrint: "nav-print",
  navReports: "nav-reports",
  navSettings: "nav-settings",
  localeSwitch: "locale-switch",
  operatorName: "operator-name",

  // unlock screen (encrypted database)
  unlockScreen: "unlock-screen",
  unlockTitle: "unlock-title",
  unlockForm: "unlock-form",
  unlockPassphrase: "unlock-passphrase",
  unlockConfirm: "unlock-confirm",
  unlockIssues: "unlock-issues",
  unlockStrong: "unlock-strong",
  unlockMismatch: "unlock-mismatch",
  unlockCaps: "unlock-caps",
  unlockError: "unlock-error",
  unlockNoRecovery: "unlock-no-recovery",
  unlockBackupNote: "unlock-backup-note",
  unlockSubmit: "unlock-submit",
  unlockBusy: "unlock-busy",
  unlockLocale: "unlock-locale",
  unlockBootError: "unlock-boot-error",
  unlockRetry: "unlock-retry",

  // roles: unlock as, identity badge and switch (coordinator / captain)
  unlockProfile: "unlock-profile",
  unlockProfileCoordinator: "unlock-profile-coordinator",
  /** carries data-profile-id */
  unlockProfileCaptain: "unlock-profile-captain",
  identityBadge: "identity-badge",
  identitySwitch: "identity-switch",
  identitySwitchDialog: "identity-switch-dialog",
  identitySwitchForm: "identity-switch-form",
  identitySwitchCurrent: "identity-switch-current",
  identitySwitchTarget: "identity-switch-target",
  identitySwitchCoordinator: "identity-switch-coordinator",
  /** carries data-profile-id */
  identitySwitchCaptain: "identity-switch-captain",
  identitySwitchPassphrase: "identity-switch-passphrase",
  identitySwitchNoPassphrase: "identity-switch-no-passphrase",
  identitySwitchNoCaptains: "identity-switch-no-captains",
  identitySwitchError: "identity-switch-error",
  identitySwitchSubmit: "identity-switch-submit",
  identitySwitchCancel: "identity-switch-cancel",
  coordinatorOnly: "coordinator-only",
  phoneRevealOutside: "phone-reveal-outside",
  caseRevealOutside: "case-reveal-outside",
  bundleSinceRequired: "bundle-since-required",

  // settings: database passphrase, captain profiles, a captain's own passphrase
  settingsAudit: "settings-audit",
  settingsMyPassphraseSection: "settings-my-passphrase-section",
  settingsMyPassphrase: "settings-my-passphrase",
  myPassphraseDialog: "my-passphrase-dialog",
  myPassphraseForm: "my-passphrase-form",
  myPassphraseCurrent: "my-passphrase-current",
  myPassphraseNew: "my-passphrase-new",
  myPassphraseConfirm: "my-passphrase-confirm",
  myPassphraseIssues: "my-passphrase-issues",
  myPassphraseStrong: "my-passphrase-strong",
  myPassphraseMismatch: "my-passphrase-mismatch",
  myPassphraseError: "my-passphrase-error",
  myPassphraseSubmit: "my-passphrase-submit",
  myPassphraseCancel: "my-passphrase-cancel",
  profilesSection: "profiles-section",
  profilesAdd: "profiles-add",
  profilesTable: "profiles-table",
  /** a <span> whose text is the label; carries data-profile-id */
  profileRow: "profile-row",
  profileUnitsCell: "profile-units-cell",
  profileEdit: "profile-edit",
  profileRemove: "profile-remove",
  profileDialog: "profile-dialog",
  profileForm: "profile-form",
  profileLabel: "profile-label",
  profileLabelHint: "profile-label-hint",
  profileUnits: "profile-units",
  profilePassphraseNew: "profile-passphrase-new",
  profilePassphraseConfirm: "profile-passphrase-confirm",
  profilePassphraseIssues: "profile-passphrase-issues",
  profilePassphraseStrong: "profile-passphrase-strong",
  profilePassphraseMismatch: "profile-passphrase-mismatch",
  profileError: "profile-error",
  profileSave: "profile-save",
  profileCancel: "profile-cancel",

  // empty database
  emptyState: "empty-state",
  loadDemo: "load-demo",

  // units
  unitTree: "unit-tree",
  unitNode: "unit-node",
  unitSearch: "unit-search",
  unitShowArchived: "unit-show-archived",
  unitAddChild: "unit-add-child",
  unitAddRoot: "unit-add-root",
  unitEdit: "unit-edit",
  unitMove: "unit-move",
  unitArchive: "unit-archive",
  unitRestore: "unit-restore",
  unitImport: "unit-import",
  unitExport: "unit-export",
  unitDetail: "unit-detail",
  unitTotalResidents: "unit-total-residents",
  unitMoveDialog: "unit-move-dialog",
  unitMoveParent: "unit-move-parent",
  unitMoveSave: "unit-move-save",

  // unit form
  unitForm: "unit-form",
  unitName: "unit-name",
  unitKind: "unit-kind",
  unitCode: "unit-code",
  unitHouseholds: "unit-households",
  unitResidents: "unit-residents",
  unitUnder18: "unit-under18",
  unitAge18to59: "unit-age18to59",
  unitAge60plus: "unit-age60plus",
  unitStudents: "unit-students",
  unitElderlyAlone: "unit-elderly-alone",
  unitFinanceStaff: "unit-finance-staff",
  unitSave: "unit-save",

  // people
  peopleTable: "people-table",
  peopleSearch: "people-search",
  peopleShowArchived: "people-show-archived",
  personAdd: "person-add",
  peopleImport: "people-import",
  peopleExport: "people-export",
  personPhone: "person-phone",
  personEdit: "person-edit",
  personArchive: "person-archive",
  personRestore: "person-restore",
  personForm: "person-form",
  personName: "person-name",
  personPhoneInput: "person-phone",
  personUnit: "person-unit",
  personSave: "person-save",
  phoneReveal: "phone-reveal",
  phoneRevealed: "phone-revealed",
  phoneClear: "phone-clear",
  peopleTabTeams: "people-tab-teams",

  // teams
  teamsTable: "teams-table",
  teamAdd: "team-add",
  teamForm: "team-form",
  teamName: "team-name",
  teamSave: "team-save",

  // venues
  venuesTable: "venues-table",
  venuesSearch: "venues-search",
  venueAdd: "venue-add",
  venuesImport: "venues-import",
  venuesExport: "venues-export",
  venuePhone: "venue-phone",
  venueForm: "venue-form",
  venueName: "venue-name",
  venueKind: "venue-kind",
  venueSave: "venue-save",

  // export menu items
  exportCsv: "export-csv",
  exportXlsx: "export-xlsx",
  templateCsv: "template-csv",
  templateXlsx: "template-xlsx",

  // import dialog
  importDialog: "import-dialog",
  importPick: "import-pick",
  importProgress: "import-progress",
  importSummary: "import-summary",
  importProblems: "import-problems",
  importProblemRow: "import-problem-row",
  importCommit: "import-commit",
  importCommitValid: "import-commit-valid",
  importCancel: "import-cancel",
  importOutcome: "import-outcome",
  importClose: "import-close",

  // settings
  settingsOperatorName: "settings-operator-name",
  settingsSave: "settings-save",
  backupNow: "backup-now",
  backupRestore: "backup-restore",
  backupsTable: "backups-table",
  auditTable: "audit-table",
  auditVerify: "audit-verify",
  auditVerifyResult: "audit-verify-result",
  settingsPassphrase: "settings-passphrase",
  settingsChangePassphrase: "settings-change-passphrase",
  changePassphraseDialog: "change-passphrase-dialog",
  changePassphraseForm: "change-passphrase-form",
  changePassphraseCurrent: "change-passphrase-current",
  changePassphraseNew: "change-passphrase-new",
  changePassphraseConfirm: "change-passphrase-confirm",
  changePassphraseIssues: "change-passphrase-issues",
  changePassphraseStrong: "change-passphrase-strong",
  changePassphraseMismatch: "change-passphrase-mismatch",
  changePassphraseError: "change-passphrase-error",
  changePassphraseSubmit: "change-passphrase-submit",
  changePassphraseCancel: "change-passphrase-cancel",

  // plan view
  planNew: "plan-new",
  planExportIcs: "plan-export-ics",
  planCalendar: "plan-calendar",
  planEvent: "plan-event",
  planFilters: "plan-filters",
  planFilterUnit: "plan-filter-unit",
  planFilterKinds: "plan-filter-kinds",
  planFilterPerson: "plan-filter-person",
  planFilterStatus: "plan-filter-status",
  planTabCalendar: "plan-tab-calendar",
  planTabAgenda: "plan-tab-agenda",
  planTabGaps: "plan-tab-gaps",
  planTabTopics: "plan-tab-topics",
  planTabTemplates: "plan-tab-templates",
  planAgenda: "plan-agenda",
  agendaDay: "agenda-day",
  agendaItem: "agenda-item",
  planGaps: "plan-gaps",
  planGapsDays: "plan-gaps-days",
  planGapsUnit: "plan-gaps-unit",
  planGapsRefresh: "plan-gaps-refresh",
  planGapsTable: "plan-gaps-table",
  gapGrid: "gap-grid",
  gapSchedule: "gap-schedule",
  gapSuggest: "gap-suggest",
  planSuggest: "plan-suggest",
  planSuggestUnit: "plan-suggest-unit",
  suggestAudience: "suggest-audience",
  suggestTopic: "suggest-topic",
  suggestSchedule: "suggest-schedule",
  planWarnings: "plan-warnings",
  planWarning: "plan-warning",
  planWarningsConfirm: "plan-warnings-confirm",
  planWarningsCancel: "plan-warnings-cancel",

  // session form
  sessionForm: "session-form",
  sessionTitle: "session-title",
  sessionKind: "session-kind",
  sessionTemplate: "session-template",
  sessionVenue: "session-venue",
  sessionUnit: "session-unit",
  sessionChannel: "session-channel",
  sessionMessages: "session-messages",
  sessionStart: "session-start",
  sessionEnd: "session-end",
  sessionAudiences: "session-audiences",
  sessionTopics: "session-topics",
  sessionPeople: "session-people",
  sessionPerson: "session-person",
  sessionRole: "session-role",
  sessionPersonAdd: "session-person-add",
  sessionPersonRemove: "session-person-remove",
  sessionMaterial: "session-material",
  sessionMaterialAdd: "session-material-add",
  sessionExpected: "session-expected",
  sessionNotes: "session-notes",
  sessionRepeat: "session-repeat",
  sessionRepeatEvery: "session-repeat-every",
  sessionRepeatNth: "session-repeat-nth",
  sessionRepeatWeekday: "session-repeat-weekday",
  sessionRepeatCount: "session-repeat-count",
  sessionLiveWarnings: "session-live-warnings",
  sessionError: "session-error",
  sessionSave: "session-save",
  sessionScope: "session-scope",
  sessionScopeOne: "session-scope-one",
  sessionScopeLater: "session-scope-later",

  // session details drawer
  sessionDrawer: "session-drawer",
  sessionStatus: "session-status",
  sessionToConfirmed: "session-to-confirmed",
  sessionToPlanned: "session-to-planned",
  sessionToHeld: "session-to-held",
  sessionToReported: "session-to-reported",
  sessionToCancelled: "session-to-cancelled",
  sessionEdit: "session-edit",
  sessionHistory: "session-history",

  // topic library and templates
  planTopics: "plan-topics",
  topicsTable: "topics-table",
  topicAdd: "topic-add",
  topicEdit: "topic-edit",
  topicForm: "topic-form",
  topicName: "topic-name",
  topicAudiences: "topic-audiences",
  topicTip: "topic-tip",
  topicTipAdd: "topic-tip-add",
  topicSave: "topic-save",
  planTemplates: "plan-templates",
  templatesTable: "templates-table",
  templateEdit: "template-edit",
  templateForm: "template-form",
  templateName: "template-name",
  templateKind: "template-kind",
  templateDuration: "template-duration",
  templateSave: "template-save",

  // record view
  recordTabSessions: "record-tab-sessions",
  recordTabFollowups: "record-tab-followups",
  recordTabBundles: "record-tab-bundles",
  recordsPanel: "records-panel",
  recordTable: "record-table",
  recordRow: "record-row",
  recordRowState: "record-row-state",
  recordOpen: "record-open",
  recordEmpty: "record-empty",
  recordFilterMonth: "record-filter-month",
  recordFilterState: "record-filter-state",
  recordSearch: "record-search",

  // record form
  recordPanel: "record-panel",
  recordForm: "record-form",
  recordState: "record-state",
  recordLocked: "record-locked",
  recordStart: "record-start",
  recordEnd: "record-end",
  recordHeadcount: "record-headcount",
  /** + audience code, e.g. record-split-elderly */
  recordSplitPrefix: "record-split-",
  recordSplitElderly: "record-split-elderly",
  recordSplitStudents: "record-split-students",
  recordSplitParents: "record-split-parents",
  recordSplitEnterpriseStaff: "record-split-enterprise_staff",
  recordSplitFinanceStaff: "record-split-finance_staff",
  recordSplitMerchants: "record-split-merchants",
  recordSplitPublic: "record-split-public",
  recordSplitAdd: "record-split-add",
  recordSplitHint: "record-split-hint",
  recordSplitOver: "record-split-over",
  recordSpeaker: "record-speaker",
  recordSpeakerHours: "record-speaker-hours",
  recordSpeakerAdd: "record-speaker-add",
  recordMaterial: "record-material",
  recordMaterialQty: "record-material-qty",
  recordMaterialAdd: "record-material-add",
  recordSignin: "record-signin",
  recordNotes: "record-notes",
  recordReason: "record-reason",
  recordSave: "record-save",
  recordReview: "record-review",
  recordCorrect: "record-correct",
  recordCancelCorrect: "record-cancel-correct",
  recordError: "record-error",
  recordWarnings: "record-warnings",
  recordCorrections: "record-corrections",
  recordPhotos: "record-photos",
  recordPhotoCaption: "record-photo-caption",
  recordAddPhoto: "record-add-photo",
  recordPhoto: "record-photo",
  recordPhotoRemove: "record-photo-remove",
  recordPhotoPreview: "record-photo-preview",
  recordPhotoError: "record-photo-error",

  // door-to-door visits
  visitsPanel: "visits-panel",
  visitsTable: "visits-table",
  visitsTotal: "visits-total",
  visitRow: "visit-row",
  visitAdd: "visit-add",
  visitEdit: "visit-edit",
  visitRemove: "visit-remove",
  visitForm: "visit-form",
  visitGrid: "visit-grid",
  visitBuilding: "visit-building",
  visitDate: "visit-date",
  visitVisited: "visit-visited",
  visitNotHome: "visit-not-home",
  visitRefused: "visit-refused",
  visitWarnings: "visit-warnings",
  visitVisitors: "visit-visitors",
  visitNotes: "visit-notes",
  visitSave: "visit-save",
  visitError: "visit-error",

  // follow-ups
  followupsPanel: "followups-panel",
  caseAdd: "case-add",
  followupSettings: "followup-settings",
  followupSettingsForm: "followup-settings-form",
  followupSchedule: "followup-schedule",
  followupPurgeDays: "followup-purge-days",
  followupSettingsSave: "followup-settings-save",
  followupSettingsError: "followup-settings-error",
  dueList: "due-list",
  dueGroup: "due-group",
  dueRow: "due-row",
  dueDate: "due-date",
  dueOverdue: "due-overdue",
  dueRecord: "due-record",
  followupVisitForm: "followup-visit-form",
  followupVisitDate: "followup-visit-date",
  followupVisitMethod: "followup-visit-method",
  followupVisitResult: "followup-visit-result",
  followupVisitVisitor: "followup-visit-visitor",
  followupVisitNotes: "followup-visit-notes",
  followupVisitSave: "followup-visit-save",
  followupVisitError: "followup-visit-error",
  casesTable: "cases-table",
  caseRow: "case-row",
  casePhone: "case-phone",
  caseProgress: "case-progress",
  caseOpen: "case-open",
  caseEditRow: "case-edit-row",
  caseFilterState: "case-filter-state",
  caseFilterUnit: "case-filter-unit",
  caseForm: "case-form",
  caseName: "case-name",
  caseWarnedOn: "case-warned-on",
  caseGrid: "case-grid",
  caseWorker: "case-worker",
  caseRisk: "case-risk",
  caseMethod: "case-method",
  caseOutcome: "case-outcome",
  caseMoneyStopped: "case-money-stopped",
  caseNotes: "case-notes",
  caseSave: "case-save",
  caseError: "case-error",
  caseSchedule: "case-schedule",
  caseScheduleItem: "case-schedule-item",
  caseDone: "case-done",
  caseOpenCreated: "case-open-created",
  caseDrawer: "case-drawer",
  caseDrawerName: "case-drawer-name",
  casePhoneShown: "case-phone-shown",
  caseRevealPhone: "case-reveal-phone",
  caseVisits: "case-visits",
  caseRecordVisit: "case-record-visit",
  caseEdit: "case-edit",

  // hand-over bundles and conflicts
  bundlePanel: "bundle-panel",
  bundleScope: "bundle-scope",
  bundleSince: "bundle-since",
  bundleExport: "bundle-export",
  bundleExported: "bundle-exported",
  bundleExportError: "bundle-export-error",
  bundleImport: "bundle-import",
  bundleImportError: "bundle-import-error",
  bundlePreview: "bundle-preview",
  bundleSummary: "bundle-summary",
  bundleCountAdded: "bundle-count-added",
  bundleCountUpdated: "bundle-count-updated",
  bundleCountUnchanged: "bundle-count-unchanged",
  bundleCountKept: "bundle-count-kept",
  bundleCountConflicts: "bundle-count-conflicts",
  bundleTables: "bundle-tables",
  bundleImportConfirm: "bundle-import-confirm",
  bundleImportCancel: "bundle-import-cancel",
  bundleImportClose: "bundle-import-close",
  bundleResult: "bundle-result",
  bundleCommitError: "bundle-commit-error",
  bundleEncrypt: "bundle-encrypt",
  bundlePassphraseDialog: "bundle-passphrase-dialog",
  bundlePassphrase: "bundle-passphrase",
  bundlePassphraseConfirm: "bundle-passphrase-confirm",
  bundlePassphraseIssues: "bundle-passphrase-issues",
  bundlePassphraseStrong: "bundle-passphrase-strong",
  bundlePassphraseMismatch: "bundle-passphrase-mismatch",
  bundlePassphraseError: "bundle-passphrase-error",
  bundlePassphraseSubmit: "bundle-passphrase-submit",
  bundlePassphraseCancel: "bundle-passphrase-cancel",
  bundleUnlockPassphrase: "bundle-unlock-passphrase",
  bundleUnlock: "bundle-unlock",
  bundleUnlockError: "bundle-unlock-error",
  conflictList: "conflict-list",
  conflictsRefresh: "conflicts-refresh",
  conflictsEmpty: "conflicts-empty",
  conflictRow: "conflict-row",
  conflictFields: "conflict-fields",
  conflictLocal: "conflict-local",
  conflictIncoming: "conflict-incoming",
  conflictTakeLocal: "conflict-take-local",
  conflictTakeIncoming: "conflict-take-incoming",
  conflictError: "conflict-error",
  conflictsResolved: "conflicts-resolved",
  conflictResolvedRow: "conflict-resolved-row",

  // print view
  printTabDocuments: "print-tab-documents",
  printTabStock: "print-tab-stock",
  printDocFlyer: "print-doc-flyer",
  printDocGridFlyers: "print-doc-grid-flyers",
  printDocSignin: "print-doc-signin",
  printDocLetters: "print-doc-letters",
  printDocCertificate: "print-doc-certificate",
  printDocDesc: "print-doc-desc",
  printForm: "print-form",
  printSession: "print-session",
  printSessionOption: "print-session-option",
  printPaper: "print-paper",
  printPhotos: "print-photos",
  printPhotoNone: "print-photo-none",
  printPhoto: "print-photo",
  printPhoneColumn: "print-phone-column",
  printUnit: "print-unit",
  printVenues: "print-venues",
  printPerson: "print-person",
  printFrom: "print-from",
  printTo: "print-to",
  printPreview: "print-preview",
  printSave: "print-save",
  printFormError: "print-form-error",
  printError: "print-error",
  printProgress: "print-progress",
  printCancel: "print-cancel",
  printSaved: "print-saved",
  printStale: "print-stale",
  printEmpty: "print-empty",
  printPreviewPane: "print-preview-pane",
  printPreviewError: "print-preview-error",
  printPages: "print-pages",
  printPage: "print-page",
  printPagesCount: "print-pages-count",
  printFileSize: "print-file-size",
  printZoom: "print-zoom",
  printFitPage: "print-fit-page",
  printFitWidth: "print-fit-width",
  printSettings: "print-settings",
  printSettingsForm: "print-settings-form",
  printQrText: "print-qr-text",
  printQrCaption: "print-qr-caption",
  printLogoState: "print-logo-state",
  printLogoPick: "print-logo-pick",
  printLogoRemove: "print-logo-remove",
  printLogoError: "print-logo-error",
  printSettingsSave: "print-settings-save",
  printSettingsError: "print-settings-error",

  // materials stock
  stockPanel: "stock-panel",
  stockUnit: "stock-unit",
  stockReceive: "stock-receive",
  stockAllocate: "stock-allocate",
  stockSummary: "stock-summary",
  stockCountLines: "stock-count-lines",
  stockCountLow: "stock-count-low",
  stockCountNegative: "stock-count-negative",
  stockCountMoves: "stock-count-moves",
  stockTabStock: "stock-tab-stock",
  stockTabMoves: "stock-tab-moves",
  stockTabItems: "stock-tab-items",
  stockOnlyWarnings: "stock-only-warnings",
  stockTable: "stock-table",
  stockRow: "stock-row",
  stockBalance: "stock-balance",
  stockState: "stock-state",
  stockEmpty: "stock-empty",
  movesTable: "moves-table",
  moveRow: "move-row",
  moveVoid: "move-void",
  movesEmpty: "moves-empty",
  moveForm: "move-form",
  moveMaterial: "move-material",
  moveFrom: "move-from",
  moveTo: "move-to",
  moveQuantity: "move-quantity",
  moveDate: "move-date",
  moveSource: "move-source",
  moveNotes: "move-notes",
  moveSave: "move-save",
  moveError: "move-error",
  materialsTable: "materials-table",
  materialRow: "material-row",
  materialAdd: "material-add",
  materialEdit: "material-edit",
  materialsEmpty: "materials-empty",
  materialForm: "material-form",
  materialName: "material-name",
  materialCategory: "material-category",
  materialUnitLabel: "material-unit-label",
  materialLowStock: "material-low-stock",
  materialSave: "material-save",
  materialError: "material-error",

  // reports (coverage dashboard)
  reportsUnit: "reports-unit",
  reportsPeriod: "reports-period",
  /** + preset: month, quarter, lastQuarter, year, custom */
  reportsPeriodPrefix: "reports-period-",
  reportsRange: "reports-range",
  reportsPeriodText: "reports-period-text",
  reportsLoading: "reports-loading",
  reportsBody: "reports-body",
  reportsError: "reports-error",
  reportsEmpty: "reports-empty",
  reportsSummary: "reports-summary",
  drillCrumb: "drill-crumb",
  reportExportPdf: "report-export-pdf",
  reportExportXlsx: "report-export-xlsx",
  reportExportJson: "report-export-json",
  reportSaved: "report-saved",
  kpiSessions: "kpi-sessions",
  kpiPersonTimes: "kpi-person-times",
  kpiHouseholds: "kpi-households",
  kpiGrids: "kpi-grids",
  kpiSpeakers: "kpi-speakers",
  kpiFollowups: "kpi-followups",
  kpiValue: "kpi-value",
  kpiChange: "kpi-change",
  kpiRule: "kpi-rule",
  kpiTarget: "kpi-target",
  chartMonths: "chart-months",
  chartChildren: "chart-children",
  chartLeast: "chart-least",
  chartKinds: "chart-kinds",
  partsTable: "parts-table",
  /** carries data-unit-id and data-kind */
  partsRow: "parts-row",
  recordsDrawer: "records-drawer",
  recordsTable: "records-table",
  recordsCount: "records-count",
  targetsPanel: "targets-panel",
  targetsEmpty: "targets-empty",
  targetRow: "target-row",
  targetAdd: "target-add",
  targetEdit: "target-edit",
  targetDelete: "target-delete",
  targetForm: "target-form",
  targetMetric: "target-metric",
  targetKind: "target-kind",
  targetValue: "target-value",
  targetPeriod: "target-period",
  targetSave: "target-save",
  targetError: "target-error",

  // coming soon
  comingSoon: "coming-soon",
} as const;

export type TestId = (typeof TID)[keyof typeof TID];
