//! A login flood with wrong passwords while staff search: what a password-guessing bot
//! does to everyone else. From one address the per-address limit answers it with 429 at
//! once; from thousands of addresses (a botnet, simulated with the 127.0.0.0/8 loopback
//! range) every attempt reaches the password hash.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Client;

use crate::common::load::{Stats, closed_loop};
use crate::{PHASE, search_load};

const FLOODERS: usize = 32;
const ADDRESSES: usize = 4096;

/// What the flood got back.
pub struct Flood {
    pub requests: usize,
    pub rejected_401: usize,
    pub limited_429: usize,
    pub other: usize,
    pub wall: Duration,
}

/// Searches for one phase while `FLOODERS` clients post wrong passwords, from one address
/// or spread over `ADDRESSES` loopback addresses with a new login each time.
pub async fn during_search(
    client: &Client,
    base: &str,
    token: &str,
    queries: &[&str],
    spread: bool,
) -> (Stats, Flood) {
    let clients: Arc<Vec<Client>> = Arc::new(if spread {
        (0..ADDRESSES)
            .map(|k| {
                let address = std::net::Ipv4Addr::new(127, 1, (k / 256) as u8, (k % 256) as u8);
                Client::builder()
                    .local_address(std::net::IpAddr::V4(address))
                    .build()
                    .expect("client")
            })
            .collect()
    } else {
        vec![client.clone()]
    });
    let counts: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
    let url = format!("{base}/api/v1/auth/login");
    let flood = {
        let (clients, counts) = (clients.clone(), counts.clone());
        tokio::spawn(closed_loop(FLOODERS, PHASE, move |worker, n| {
            let k = worker * 7919 + n;
            let client = clients[k % clients.len()].clone();
            let login = if spread {
                format!("guess-{k}")
            } else {
                "s0-1".to_owned()
            };
            let request = client
                .post(url.clone())
                .json(&serde_json::json!({"login": login, "password": format!("wrong-{n}")}));
            let counts = counts.clone();
            async move {
                let slot = match request.send().await.map(|r| r.status().as_u16()) {
                    Ok(401) => 0,
                    Ok(429) => 1,
                    _ => 2,
                };
                counts[slot].fetch_add(1, Ordering::Relaxed);
                slot < 2
            }
        }))
    };
    let searched = search_load(client, base, token, queries, false).await;
    let flooded = flood.await.expect("flood task");
    let flood = Flood {
        requests: flooded.samples.len(),
        rejected_401: counts[0].load(Ordering::Relaxed),
        limited_429: counts[1].load(Ordering::Relaxed),
        other: counts[2].load(Ordering::Relaxed),
        wall: flooded.wall,
    };
    (searched, flood)
}
