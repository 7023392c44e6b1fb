//! Page-numbered lists (`?page=1`, `?page=2`, ...) whose bodies say whether a next page exists
//! with a link of `rel` `next`, as TransIP's `_links.pages` does; and a stream over all their
//! items.

use futures_util::stream::{self, BoxStream, StreamExt as _};
use serde::de::DeserializeOwned;

use super::decode::{decode_json, decode_value, pointer_to_path, DecodeError};
use super::error::Error;
use super::response::Response;

/// The most pages [`paginate`] fetches, so that a server that always claims a next page cannot
/// make it run for ever.
pub const MAX_PAGES: u32 = 10_000;

/// One page of a list: its items and whether the server links to a next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items on this page, in the server's order.
    pub items: Vec<T>,
    /// Whether the body links to a next page.
    pub has_next: bool,
}

/// Decodes one page of a list.
///
/// The items are the array at JSON pointer `items_pointer` (`""` is the whole body); a missing
/// array is an error. The page has a next one when the array at `links_pointer` holds an object
/// whose `rel` is `"next"` (objects look like `{"rel": "next", "link": "https://..."}`). When
/// `links_pointer` is absent from the body (or `null`) there is no next page; when it is present
/// but not an array, that is a decode error.
pub fn decode_page<T: DeserializeOwned + serde::Serialize>(
    body: &[u8],
    items_pointer: &str,
    links_pointer: &str,
) -> Result<Page<T>, DecodeError> {
    let mut root: serde_json::Value = decode_json(body)?;
    let has_next = match root.pointer(links_pointer) {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Array(links)) => links.iter().any(|link| {
            link.get("rel")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|rel| rel.eq_ignore_ascii_case("next"))
        }),
        Some(_) => {
            return Err(DecodeError::at(
                pointer_to_path(links_pointer),
                "expected an array of links",
            ))
        }
    };
    let items_path = pointer_to_path(items_pointer);
    let items = root
        .pointer_mut(items_pointer)
        .map(serde_json::Value::take)
        .ok_or_else(|| DecodeError::at(items_path.clone(), "missing field"))?;
    let items = decode_value(items, &items_path)?;
    Ok(Page { items, has_next })
}

/// Streams every item of every page, fetching page 1, 2, ... with `fetch(page)` only as the
/// stream is read.
///
/// The stream ends after a page without a next page, after an empty page, or after
/// [`MAX_PAGES`] pages. A failed fetch is yielded as an error and ends the stream.
///
/// ```no_run
/// # use std::convert::Infallible;
/// use cloudgen_runtime::futures_util::StreamExt;
/// use cloudgen_runtime::{paginate, Error, Page, Response};
/// # struct Invoice;
/// # async fn list_invoices_page(_page: u32, _per_page: u32)
/// #     -> Result<Response<Page<Invoice>>, Error<Infallible>> { todo!() }
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
///
/// let mut invoices = paginate(|page| list_invoices_page(page, 100));
/// while let Some(invoice) = invoices.next().await {
///     let invoice: Invoice = invoice?;
///     # let _ = invoice;
/// }
/// # Ok(()) }
/// ```
pub fn paginate<'a, T, E, F, Fut>(fetch: F) -> BoxStream<'a, Result<T, Error<E>>>
where
    T: Send + 'a,
    E: Send + 'a,
    F: FnMut(u32) -> Fut + Send + 'a,
    Fut: std::future::Future<Output = Result<Response<Page<T>>, Error<E>>> + Send + 'a,
{
    paginate_at_most(MAX_PAGES, fetch)
}

/// Like [`paginate`], but fetches at most `max_pages` pages (at least one).
pub fn paginate_at_most<'a, T, E, F, Fut>(
    max_pages: u32,
    fetch: F,
) -> BoxStream<'a, Result<T, Error<E>>>
where
    T: Send + 'a,
    E: Send + 'a,
    F: FnMut(u32) -> Fut + Send + 'a,
    Fut: std::future::Future<Output = Result<Response<Page<T>>, Error<E>>> + Send + 'a,
{
    let state = Walk {
        fetch,
        next_page: Some(1),
        max_pages: max_pages.max(1),
        buffered: Vec::new().into_iter(),
    };
    stream::unfold(state, |mut walk| async move {
        loop {
            if let Some(item) = walk.buffered.next() {
                return Some((Ok(item), walk));
            }
            let page = walk.next_page?;
            match (walk.fetch)(page).await {
                Err(error) => {
                    walk.next_page = None;
                    return Some((Err(error), walk));
                }
                Ok(response) => {
                    let Page { items, has_next } = response.into_inner();
                    walk.next_page = if !has_next || items.is_empty() {
                        None
                    } else if page >= walk.max_pages {
                        tracing::warn!(
                            max_pages = walk.max_pages,
                            "stopped paginating: the page limit was reached"
                        );
                        None
                    } else {
                        page.checked_add(1)
                    };
                    walk.buffered = items.into_iter();
                }
            }
        }
    })
    .boxed()
}

/// Where a [`paginate`] stream is: the fetch function, the next page to fetch (`None` once
/// finished) and the items of the current page not yet yielded.
struct Walk<F, T> {
    fetch: F,
    next_page: Option<u32>,
    max_pages: u32,
    buffered: std::vec::IntoIter<T>,
}
