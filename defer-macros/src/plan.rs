//! Pure decisions over the [`Analysis`]: which locals are pre-adopted at
//! their `let`, which site adopts each captured local and which borrow it
//! from an earlier site's slot, and the frame's shape and layout.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::Ident;

use crate::analyze::{Analysis, Capture, Event, LetId, LocalId, SiteId};
use crate::scope::{ScopeId, private_ident};
use crate::site::Kind;

/// Largest number of sites the static frame takes, as in Go's open-coded defers.
pub const MAX_STATIC_SITES: usize = 8;

/// How the function's deferred calls are recorded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// At most 8 sites, none in a loop: one `Option` slot per site, whose
    /// discriminant is the site's "ran" bit.
    Static,
    /// One stack of a generated per-site enum; sites that adopt locals keep
    /// their values in a queue of their own.
    Dynamic,
}

pub struct Plan {
    pub layout: FrameLayout,
    /// The planned sites in id order: pre-adoptions and the sites that lowered.
    pub sites: Vec<SitePlan>,
    /// The planned id of each site of the analysis that has one.
    pub id_of_site: Vec<Option<usize>>,
    /// The planned id of each pre-adopting `let`.
    pub pre_adoption: BTreeMap<LetId, usize>,
    /// The `let mut`s whose local is adopted: they get `#[allow(unused_mut)]`
    /// (the `mut` is used through the lent-back `&mut`, which rustc cannot see).
    pub silence_unused_mut: BTreeSet<LetId>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    Site(SiteId),
    /// A local adopted right after its `let`, with no deferred code: a
    /// deferred call in a deeper block or loop names it, and adopting it there
    /// would move it out of the block (or the next iteration) that still uses it.
    PreAdoption(LetId),
}

pub struct SitePlan {
    pub id: usize,
    pub source: Source,
    /// Where the site lends its adopted locals back from: the `defer!` path,
    /// or a pre-adopting `let`'s name (errors about a use name its line).
    pub lent_from: Span,
    pub kind: Kind,
    /// Values evaluated now; the adopted locals follow them in the slot.
    pub now_count: usize,
    pub adopts: Vec<AdoptedLocal>,
    pub shares: Vec<SharedLocal>,
    /// The locals earlier sites adopted that are visible here (the names
    /// lend references): the site's values evaluated now read them through.
    pub adopted_before: Vec<LentLocal>,
    /// In a dynamic frame, a site that adopts locals keeps its values in a
    /// queue of its own: the body borrows them, which must not lock the
    /// frame's one defer stack.
    pub own_queue: bool,
    /// Whether the exit code needs nothing but its slot, statics and items,
    /// so it can run when an `async fn`'s future is dropped.
    pub on_cancel: bool,
}

/// A body local moved into this site's slot and lent back to the body.
pub struct AdoptedLocal {
    pub name: Ident,
    /// The same name located at the user's declaration, so rustc's help
    /// about the binding ("consider changing this to be mutable") points there.
    pub at_decl: Ident,
    pub lent_mut: bool,
    /// A `mut` pattern binding (not a `let`) that needs a `touch_mut` to
    /// count as used.
    pub touch_mut: bool,
    /// A copy goes into the slot; the body keeps the value (not lent back).
    pub copied: bool,
}

/// A local an earlier site adopted, borrowed from that site's slot at exit.
pub struct SharedLocal {
    pub lent: LentLocal,
    pub owner: usize,
    pub field: usize,
}

/// A name that code after an adoption reads through the lent-back reference.
#[derive(Clone)]
pub struct LentLocal {
    pub name: Ident,
    pub lent_mut: bool,
    pub lent_from: Span,
    /// The user's declaration, for the advice at a mutation of a non-`mut` local.
    pub decl: Ident,
}

/// Where a local was adopted: by which planned site, into which field, and
/// in which scope the adopted name is visible.
struct Adoption {
    owner: usize,
    field: usize,
    lent_mut: bool,
    lent_from: Span,
    scope: ScopeId,
}

/// Decides everything from the analysis. `guarded`: an `async fn`'s slots
/// live in its cancel guard.
pub fn frame(analysis: &Analysis, guarded: bool) -> Plan {
    let wanted = pre_adoption_wanted(analysis);
    let mut pre_adopted: BTreeMap<LetId, Vec<LocalId>> = BTreeMap::new();
    for local in &wanted {
        if let Some(let_id) = analysis.locals[*local].let_id {
            pre_adopted.entry(let_id).or_default().push(*local);
        }
    }
    let counted = analysis.sites.iter().filter(|site| site.nested.is_none());
    let in_loop = counted.clone().any(|site| site.loops > 0)
        || pre_adopted
            .keys()
            .any(|let_id| analysis.lets[*let_id].in_loop);
    let shape = if in_loop || counted.count() + pre_adopted.len() > MAX_STATIC_SITES {
        Shape::Dynamic
    } else {
        Shape::Static
    };

    let mut plan = Plan {
        layout: FrameLayout {
            shape,
            guarded,
            queues: Vec::new(),
        },
        sites: Vec::new(),
        id_of_site: vec![None; analysis.sites.len()],
        pre_adoption: BTreeMap::new(),
        silence_unused_mut: BTreeSet::new(),
    };
    let mut adoptions: BTreeMap<LocalId, Vec<Adoption>> = BTreeMap::new();
    for event in &analysis.events {
        let id = plan.sites.len();
        let site_plan = match *event {
            Event::Let(let_id) => {
                let Some(locals) = pre_adopted.get(&let_id) else {
                    continue;
                };
                plan.pre_adoption.insert(let_id, id);
                let mut site_plan = new_site(
                    id,
                    Source::PreAdoption(let_id),
                    analysis.locals[locals[0]].decl.span(),
                    Kind::Defer,
                    0,
                    true,
                );
                for local in locals {
                    let info = &analysis.locals[*local];
                    let adoption = adopt(&mut plan, &mut site_plan, analysis, *local, &info.decl);
                    adoptions.entry(*local).or_default().push(Adoption {
                        scope: info.scope,
                        ..adoption
                    });
                }
                site_plan
            }
            Event::Site(site_id) => match plan_site(&mut plan, &mut adoptions, analysis, site_id) {
                Some(site_plan) => site_plan,
                None => continue,
            },
            Event::Exit(_) | Event::BodyRecover(_) => continue,
        };
        plan.sites.push(site_plan);
    }
    for site in &mut plan.sites {
        site.own_queue =
            shape == Shape::Dynamic && site.adopts.iter().any(|adopted| !adopted.copied);
        if site.own_queue {
            plan.layout.queues.push(site.id);
        }
    }
    plan
}

/// A site that lowered: each local it captures is shared when an earlier
/// site's adoption of it is visible here, else adopted.
fn plan_site(
    plan: &mut Plan,
    adoptions: &mut BTreeMap<LocalId, Vec<Adoption>>,
    analysis: &Analysis,
    site_id: SiteId,
) -> Option<SitePlan> {
    let site = &analysis.sites[site_id];
    let lowered = site.outcome.as_ref().ok()?;
    let id = plan.sites.len();
    plan.id_of_site[site_id] = Some(id);
    let scope = *site.scopes.last().unwrap_or(&0);
    let mut site_plan = new_site(
        id,
        Source::Site(site_id),
        syn::spanned::Spanned::span(&site.path),
        site.kind,
        lowered.now.len(),
        lowered.params_used.is_empty(),
    );
    for (local, list) in adoptions.iter() {
        if let Some(adoption) = list.iter().rev().find(|a| site.scopes.contains(&a.scope)) {
            let decl = &analysis.locals[*local].decl;
            site_plan.adopted_before.push(LentLocal {
                name: decl.clone(),
                lent_mut: adoption.lent_mut,
                lent_from: adoption.lent_from,
                decl: decl.clone(),
            });
        }
    }
    let mut new_adoptions = Vec::new();
    for capture in &lowered.captures {
        if analysis.locals[capture.local].copied {
            adopt(
                plan,
                &mut site_plan,
                analysis,
                capture.local,
                &capture.ident,
            );
            continue;
        }
        let visible = adoptions
            .get(&capture.local)
            .and_then(|list| list.iter().rev().find(|a| site.scopes.contains(&a.scope)));
        match visible {
            Some(adoption) => {
                if !site_plan
                    .shares
                    .iter()
                    .any(|s| s.lent.name == capture.ident)
                {
                    site_plan.shares.push(SharedLocal {
                        lent: LentLocal {
                            name: capture.ident.clone(),
                            lent_mut: adoption.lent_mut,
                            lent_from: adoption.lent_from,
                            decl: analysis.locals[capture.local].decl.clone(),
                        },
                        owner: adoption.owner,
                        field: adoption.field,
                    });
                }
            }
            None => {
                let adoption = adopt(
                    plan,
                    &mut site_plan,
                    analysis,
                    capture.local,
                    &capture.ident,
                );
                new_adoptions.push((capture.local, Adoption { scope, ..adoption }));
            }
        }
    }
    for (local, adoption) in new_adoptions {
        adoptions.entry(local).or_default().push(adoption);
    }
    Some(site_plan)
}

fn new_site(
    id: usize,
    source: Source,
    lent_from: Span,
    kind: Kind,
    now_count: usize,
    on_cancel: bool,
) -> SitePlan {
    SitePlan {
        id,
        source,
        lent_from,
        kind,
        now_count,
        adopts: Vec::new(),
        shares: Vec::new(),
        adopted_before: Vec::new(),
        own_queue: false,
        on_cancel,
    }
}

/// Moves `local` into `site`'s slot; returns where it now lives (its scope
/// filled in by the caller).
fn adopt(
    plan: &mut Plan,
    site: &mut SitePlan,
    analysis: &Analysis,
    local: LocalId,
    name: &Ident,
) -> Adoption {
    let info = &analysis.locals[local];
    // The user's `mut` is used through the lent-back `&mut`, which rustc's
    // unused_mut cannot see: a `let mut` gets `#[allow(unused_mut)]`; other
    // patterns a `touch_mut` (a borrow, so it would add an error when `x`
    // is borrowed).
    let touch_mut = match info.let_id {
        Some(let_id) if info.declared_mut => {
            plan.silence_unused_mut.insert(let_id);
            false
        }
        _ => info.declared_mut,
    };
    let mut at_decl = name.clone();
    at_decl.set_span(name.span().located_at(info.decl.span()));
    let field = site.now_count + site.adopts.len();
    site.adopts.push(AdoptedLocal {
        name: name.clone(),
        at_decl,
        lent_mut: info.lent_mut,
        touch_mut,
        copied: info.copied,
    });
    Adoption {
        owner: site.id,
        field,
        lent_mut: info.lent_mut,
        lent_from: site.lent_from,
        scope: 0,
    }
}

/// The locals to adopt at their `let`: the first site to capture one sits in
/// a loop the `let` is outside of, or in a deeper block while the `let`'s
/// block uses the local after that site's statement.
fn pre_adoption_wanted(analysis: &Analysis) -> BTreeSet<LocalId> {
    let mut wanted = BTreeSet::new();
    // Without pre-adoption, where each local would be adopted.
    let mut adopted_in: BTreeMap<LocalId, Vec<ScopeId>> = BTreeMap::new();
    for site in &analysis.sites {
        let Ok(lowered) = &site.outcome else { continue };
        let scope = *site.scopes.last().unwrap_or(&0);
        let first: Vec<&Capture> = lowered
            .captures
            .iter()
            .filter(|capture| {
                adopted_in
                    .get(&capture.local)
                    .is_none_or(|scopes| !scopes.iter().any(|s| site.scopes.contains(s)))
            })
            .collect();
        for capture in first {
            adopted_in.entry(capture.local).or_default().push(scope);
            let local = &analysis.locals[capture.local];
            if local.let_id.is_none() {
                continue;
            }
            if site.loops > local.loops || (site.depth > local.depth && capture.mentioned_later) {
                wanted.insert(capture.local);
            }
        }
    }
    wanted
}

/// Every generated name and path of the frame's slots.
pub struct FrameLayout {
    pub shape: Shape,
    /// An `async fn`: the slots are the fields of the cancel guard's tuple.
    pub guarded: bool,
    /// The sites with a queue of their own, in order.
    pub queues: Vec<usize>,
}

impl FrameLayout {
    /// A static site's slot, or a dynamic frame's one defer stack, as the
    /// epilogue names it.
    pub fn slot_name(&self, id: usize) -> Ident {
        match self.shape {
            Shape::Static => private_ident(&format!("__slot{id}")),
            Shape::Dynamic => private_ident("__stack"),
        }
    }

    /// The queue of a dynamic frame's site that adopts locals.
    pub fn queue_name(id: usize) -> Ident {
        private_ident(&format!("__queue{id}"))
    }

    /// A dynamic frame's stack holds one enum (`__fndefer_Entry`) with a
    /// variant per site, carrying that site's values.
    pub fn entry_variant(id: usize) -> Ident {
        private_ident(&format!("S{id}"))
    }

    /// The slot as the body fills it: a local of the function, or in an
    /// `async fn` a field of the cancel guard's tuple.
    pub fn slot_in_body(&self, id: usize) -> TokenStream {
        let guard = private_ident("__guard");
        match (self.guarded, self.shape) {
            (false, _) => self.slot_name(id).into_token_stream(),
            (true, Shape::Static) => {
                let index = syn::Index::from(id);
                quote!(#guard.slots.#index)
            }
            (true, Shape::Dynamic) => quote!(#guard.slots.0),
        }
    }

    /// A site's own queue as the body fills it (field 0 of the guard's tuple
    /// is the stack).
    pub fn queue_in_body(&self, id: usize) -> TokenStream {
        if self.guarded {
            let position = self
                .queues
                .iter()
                .position(|queued| *queued == id)
                .unwrap_or(0);
            let index = syn::Index::from(position + 1);
            let guard = private_ident("__guard");
            quote!(#guard.slots.#index)
        } else {
            Self::queue_name(id).into_token_stream()
        }
    }

    /// At exit, the entry of an earlier site that owns a shared local.
    pub fn owner_access(&self, owner: usize) -> TokenStream {
        match self.shape {
            Shape::Static => {
                let slot = self.slot_name(owner);
                quote!(#slot.as_mut())
            }
            // The owner's newest entry: what was pushed after it has been
            // popped already (LIFO).
            Shape::Dynamic => {
                let queue = Self::queue_name(owner);
                quote!(#queue.last_mut())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(mut block: syn::Block) -> Plan {
        let analysis = crate::analyze::body(
            crate::imports::Names::FNDEFER,
            &crate::analyze::Bound::default(),
            None,
            &[],
            &mut block,
        );
        frame(&analysis, false)
    }

    #[test]
    fn a_later_site_shares_what_an_earlier_one_adopted() {
        let plan = plan_of(syn::parse_quote!({
            let mut file = open();
            defer!(file.close());
            defer!(|| log(&file));
        }));
        assert_eq!(plan.layout.shape, Shape::Static);
        assert_eq!(plan.sites.len(), 2);
        assert_eq!(plan.sites[0].adopts.len(), 1);
        assert_eq!(plan.sites[1].shares[0].owner, 0);
        assert!(plan.silence_unused_mut.contains(&0));
    }

    #[test]
    fn a_local_used_after_a_deeper_site_is_adopted_at_its_let() {
        let plan = plan_of(syn::parse_quote!({
            let name = String::new();
            if c {
                defer!(|| log(&name));
            }
            name.len();
        }));
        assert_eq!(plan.pre_adoption.get(&0), Some(&0));
        assert_eq!(plan.sites[0].source, Source::PreAdoption(0));
        assert_eq!(plan.sites[1].shares[0].owner, 0);
    }

    #[test]
    fn a_local_not_used_after_the_deeper_site_is_adopted_there() {
        let plan = plan_of(syn::parse_quote!({
            let name = String::new();
            if c {
                defer!(|| log(&name));
            }
        }));
        assert!(plan.pre_adoption.is_empty());
        assert_eq!(plan.sites[0].adopts.len(), 1);
    }

    #[test]
    fn a_destructuring_let_pre_adopts_the_names_deferred_code_uses() {
        let plan = plan_of(syn::parse_quote!({
            let (a, b) = pair();
            if c {
                defer!(|| log(&a));
            }
            log(&a);
        }));
        assert_eq!(plan.sites[0].source, Source::PreAdoption(0));
        let adopted: Vec<String> = plan.sites[0]
            .adopts
            .iter()
            .map(|a| a.name.to_string())
            .collect();
        assert_eq!(adopted, ["a"]);
    }

    #[test]
    fn a_loop_site_naming_an_outer_local_pre_adopts_it_and_goes_dynamic() {
        let plan = plan_of(syn::parse_quote!({
            let mut total = 0;
            for x in xs {
                defer!(|| log(total));
            }
        }));
        assert_eq!(plan.layout.shape, Shape::Dynamic);
        assert_eq!(plan.sites[0].source, Source::PreAdoption(0));
        assert!(plan.sites[0].own_queue);
        assert_eq!(plan.layout.queues, [0]);
    }

    #[test]
    fn more_than_eight_sites_go_dynamic() {
        let plan = plan_of(syn::parse_quote!({
            defer!(a());
            defer!(a());
            defer!(a());
            defer!(a());
            defer!(a());
            defer!(a());
            defer!(a());
            defer!(a());
            defer!(a());
        }));
        assert_eq!(plan.layout.shape, Shape::Dynamic);
    }
}
