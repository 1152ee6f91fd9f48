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

  // coming soon
  comingSoon: "coming-soon",
} as const;

export type TestId = (typeof TID)[keyof typeof TID];
