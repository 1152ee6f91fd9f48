//! The command contract: every `#[tauri::command]` of `src/commands/*.rs`, read from its
//! signature, written to `ui/src/bindings/commands.ts` as the `Commands` map (name → args and
//! result) that `ui/src/api/invoke.ts`'s `call` is typed by. The UI's type check then holds
//! every call against Rust: a renamed command, a changed argument or result fails `vue-tsc`.
//! The types come from ts-rs (`ui/src/bindings/*.ts`); a type without a binding fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::{FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn bindings() -> PathBuf {
    root().join("../ui/src/bindings")
}

/// Tauri hands these to a command; they are not arguments from the window.
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn generic_args(seg: &syn::PathSegment) -> Vec<&Type> {
    match &seg.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => vec![],
    }
}

/// A Rust type as TypeScript; the binding types it names go into `imports`.
fn ts(ty: &Type, imports: &mut BTreeSet<String>) -> String {
    match ty {
        Type::Reference(r) => ts(&r.elem, imports),
        Type::Tuple(t) if t.elems.is_empty() => "null".into(),
        Type::Tuple(t) => format!("[{}]", t.elems.iter().map(|e| ts(e, imports)).collect::<Vec<_>>().join(", ")),
        Type::Slice(s) => format!("Array<{}>", ts(&s.elem, imports)),
        Type::Path(p) => {
            let seg = p.path.segments.last().expect("a type name");
            let name = seg.ident.to_string();
            let args = generic_args(seg);
            match name.as_str() {
                "String" | "str" | "PathBuf" => "string".into(),
                "bool" => "boolean".into(),
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32" | "f64" => {
                    "number".into()
                }
                "Option" => format!("{} | null", ts(args[0], imports)),
                "Vec" => format!("Array<{}>", ts(args[0], imports)),
                "HashMap" | "BTreeMap" => format!("Record<string, {}>", ts(args[1], imports)),
                "CmdResult" | "Result" => ts(args[0], imports),
                other => {
                    assert!(
                        bindings().join(format!("{other}.ts")).exists(),
                        "{other} has no TypeScript binding: derive ts_rs::TS on it and export it to ui/src/bindings/"
                    );
                    imports.insert(other.to_string());
                    other.to_string()
                }
            }
        }
        _ => panic!("a command type the contract cannot say (a function pointer, a trait object, …)"),
    }
}

fn is_injected(ty: &Type) -> bool {
    let ty = match ty {
        Type::Reference(r) => &*r.elem,
        t => t,
    };
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())))
}

struct Command {
    args: Vec<(String, String, bool)>,
    result: String,
}

fn commands(imports: &mut BTreeSet<String>) -> BTreeMap<String, Command> {
    let mut out = BTreeMap::new();
    let mut files: Vec<_> =
        std::fs::read_dir(root().join("src/commands")).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files {
        let file = syn::parse_file(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for item in file.items {
            let Item::Fn(func) = item else { continue };
            let is_command = func.attrs.iter().any(|a| {
                let segs: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
                segs == ["tauri", "command"]
            });
            if !is_command {
                continue;
            }
            let mut args = vec![];
            for input in &func.sig.inputs {
                let FnArg::Typed(pt) = input else { continue };
                if is_injected(&pt.ty) {
                    continue;
                }
                let Pat::Ident(id) = &*pt.pat else { panic!("{}: an argument without a name", func.sig.ident) };
                let optional =
                    matches!(&*pt.ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
                args.push((camel(&id.ident.to_string()), ts(&pt.ty, imports), optional));
            }
            let result = match &func.sig.output {
                ReturnType::Default => "null".into(),
                ReturnType::Type(_, t) => ts(t, imports),
            };
            let name = func.sig.ident.to_string();
            assert!(out.insert(name.clone(), Command { args, result }).is_none(), "{name} twice");
        }
    }
    out
}

/// The command names registered with `generate_handler!` in `src/lib.rs`.
fn registered() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let start = lib.find("generate_handler![").expect("generate_handler!");
    let end = start + lib[start..].find(']').unwrap();
    lib[start + "generate_handler![".len()..end]
        .split(',')
        .filter_map(|p| p.trim().rsplit("::").next().map(str::to_string))
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn the_command_contract_is_written_from_the_signatures() {
    let mut imports = BTreeSet::new();
    let cmds = commands(&mut imports);
    let names: BTreeSet<String> = cmds.keys().cloned().collect();
    assert_eq!(registered(), names, "every command is registered, and every registered one is a command here");
    let mut out = String::from(
        "// Written by `cargo test -p outreach-desk --test contract` from the #[tauri::command] signatures. Do not edit.\n",
    );
    for i in &imports {
        out.push_str(&format!("import type {{ {i} }} from \"./{i}\";\n"));
    }
    out.push_str("\nexport interface Commands {\n");
    for (name, c) in &cmds {
        let args = if c.args.is_empty() {
            "{ [key: string]: never }".to_string()
        } else {
            let fields: Vec<String> = c
                .args
                .iter()
                .map(|(n, t, opt)| if *opt { format!("{n}?: {t}") } else { format!("{n}: {t}") })
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!("  {name}: {{ args: {args}; result: {} }};\n", c.result));
    }
    out.push_str("}\n\nexport type CommandName = keyof Commands;\n");
    let path = bindings().join("commands.ts");
    if std::fs::read_to_string(&path).ok().as_deref() != Some(out.as_str()) {
        std::fs::write(&path, out).unwrap();
    }
}
