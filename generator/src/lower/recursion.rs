//! Breaking cycles: a type that contains itself by value gets a `Box` on the
//! edges inside its strongly connected component.

use crate::ir::{TypeDef, TypeKind, TypeRef};

/// The named type a reference holds by value, looking through `Option`.
fn by_value(t: &TypeRef) -> Option<usize> {
    match t {
        TypeRef::Named(id) => Some(id.0),
        TypeRef::Option(inner) | TypeRef::EmptyAsNone(inner) | TypeRef::Nullable(inner) => {
            by_value(inner)
        }
        _ => None,
    }
}

fn edges(t: &TypeDef) -> Vec<usize> {
    match &t.kind {
        TypeKind::Struct { fields, .. } => fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
        TypeKind::Tagged { variants, .. }
        | TypeKind::Untagged { variants }
        | TypeKind::SingleKey { variants } => {
            variants.iter().filter_map(|v| by_value(&v.ty)).collect()
        }
        TypeKind::Newtype { inner, .. } => by_value(inner).into_iter().collect(),
        TypeKind::Alias { target } => by_value(target).into_iter().collect(),
        TypeKind::StringEnum { .. } | TypeKind::Pending => Vec::new(),
    }
}

/// Strongly connected components (Kosaraju, iterative so deep graphs cannot overflow the stack).
fn components(graph: &[Vec<usize>]) -> Vec<usize> {
    let n = graph.len();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        seen[start] = true;
        while let Some((node, i)) = stack.pop() {
            if i < graph[node].len() {
                stack.push((node, i + 1));
                let next = graph[node][i];
                if next < n && !seen[next] {
                    seen[next] = true;
                    stack.push((next, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (from, tos) in graph.iter().enumerate() {
        for &to in tos {
            if to < n {
                reverse[to].push(from);
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut next_comp = 0;
    for &start in order.iter().rev() {
        if comp[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        comp[start] = next_comp;
        while let Some(node) = stack.pop() {
            for &prev in &reverse[node] {
                if comp[prev] == usize::MAX {
                    comp[prev] = next_comp;
                    stack.push(prev);
                }
            }
        }
        next_comp += 1;
    }
    comp
}

/// Marks every by-value edge that closes a cycle as boxed.
pub(crate) fn box_cycles(types: &mut [TypeDef]) {
    let graph: Vec<Vec<usize>> = types.iter().map(edges).collect();
    let comp = components(&graph);
    let same = |a: usize, b: usize| b < comp.len() && comp[a] == comp[b];
    for (i, t) in types.iter_mut().enumerate() {
        match &mut t.kind {
            TypeKind::Struct { fields, .. } => {
                for f in fields {
                    if let Some(to) = by_value(&f.ty) {
                        f.boxed = same(i, to);
                    }
                }
            }
            TypeKind::Tagged { variants, .. }
            | TypeKind::Untagged { variants }
            | TypeKind::SingleKey { variants } => {
                for v in variants {
                    if let Some(to) = by_value(&v.ty) {
                        v.boxed = same(i, to);
                    }
                }
            }
            _ => {}
        }
    }
}
