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

  // coming soon
  comingSoon: "coming-soon",
} as const;

export type TestId = (typeof TID)[keyof typeof TID];
