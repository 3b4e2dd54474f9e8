//! The chat (sse-axum): a message typed in one page reaches every page; pages cut off while
//! messages are posted get them all on reconnecting.

use std::time::Duration;

use e2e::{Browser, Proxy};
use fantoccini::Locator;
use sse_axum::Hub;

use crate::chat_app;
use crate::server::{PATIENCE, events_of, listen, serve};

#[tokio::test]
async fn a_message_reaches_every_page_and_a_page_cut_off_gets_what_it_missed() {
    let Some(browser) = Browser::launch("chat").await else {
        return;
    };
    let server = serve(listen().await, chat_app::router(Hub::new()));
    let proxy = Proxy::start(server).await;

    let first = browser.tab().await;
    browser.goto(&proxy.url("/")).await;
    let second = browser.new_tab().await;
    browser.switch_to(&second).await;
    browser.goto(&proxy.url("/")).await;
    for tab in [&first, &second] {
        browser.switch_to(tab).await;
        let open = "sseLog.some(entry => entry.kind === 'open')";
        browser
            .wait_until("the stream to open", open, PATIENCE)
            .await;
    }

    // Typed and sent from the first page, through the page's own form and `fetch`.
    browser.switch_to(&first).await;
    let page = browser.webdriver();
    let field = |css| async move { page.find(Locator::Css(css)).await.expect(css) };
    field("#name").await.send_keys("ada").await.unwrap();
    field("#text")
        .await
        .send_keys("hello, everyone")
        .await
        .unwrap();
    field("#say button").await.click().await.unwrap();
    let one_message = "document.querySelectorAll('#messages li').length === 1";
    for tab in [&first, &second] {
        browser.switch_to(tab).await;
        browser
            .wait_until("the message", one_message, PATIENCE)
            .await;
        let chat = events_of(&browser.log().await, "chat");
        assert_eq!(chat.len(), 1);
        assert_eq!(chat[0].1, r#"{"name":"ada","text":"hello, everyone"}"#);
    }
    let first_id = events_of(&browser.log().await, "chat")[0].0.clone();
    assert!(!first_id.is_empty(), "the hub gives every event an id");

    // Both pages lose their connection; they reconnect at once, but the network holds their
    // requests back while five more messages are posted.
    proxy.hold();
    proxy.cut();
    for tab in [&first, &second] {
        browser.switch_to(tab).await;
        let reconnecting = "sseLog.some(entry => entry.kind === 'error' && entry.readyState === 0)";
        browser
            .wait_until("the page to notice", reconnecting, PATIENCE)
            .await;
    }
    let client = reqwest::Client::new();
    for n in 2..=6 {
        let posted = client
            .post(format!("http://{server}/messages"))
            .header("content-type", "application/json")
            .body(format!(r#"{{"name":"bob","text":"message {n}"}}"#))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 204);
    }
    proxy.release();

    let expected: Vec<(String, String)> = [("ada".to_owned(), "hello, everyone".to_owned())]
        .into_iter()
        .chain((2..=6).map(|n| ("bob".to_owned(), format!("message {n}"))))
        .collect();
    for tab in [&first, &second] {
        browser.switch_to(tab).await;
        let all = "document.querySelectorAll('#messages li').length >= 6";
        browser
            .wait_until("the missed messages", all, PATIENCE)
            .await;
    }
    // Time for a duplicate to show up, if there were one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for tab in [&first, &second] {
        browser.switch_to(tab).await;
        let chat = events_of(&browser.log().await, "chat");
        let sent: Vec<(String, String)> = chat
            .iter()
            .map(|(_, data)| {
                let message: serde_json::Value = serde_json::from_str(data).unwrap();
                let field = |name: &str| message[name].as_str().unwrap().to_owned();
                (field("name"), field("text"))
            })
            .collect();
        assert_eq!(sent, expected, "each message once, in order");
        // The sender is its own element, apart from the text.
        let rendered = browser
            .eval(
                "return [...document.querySelectorAll('#messages li')].map(li => \
                 [li.querySelector('.name').textContent, li.querySelector('.text').textContent]);",
            )
            .await;
        assert_eq!(rendered, serde_json::json!(expected));
    }
    let resumed = proxy
        .requests()
        .iter()
        .filter(|request| request.is("GET", "/events"))
        .filter(|request| request.header("last-event-id") == Some(&first_id))
        .count();
    assert_eq!(
        resumed,
        2,
        "each page resumed after the message it saw: {:?}",
        proxy.requests()
    );
    browser.close().await;
}

#[tokio::test]
async fn a_page_that_missed_more_than_the_hub_keeps_is_told_so() {
    let Some(browser) = Browser::launch("chat").await else {
        return;
    };
    let hub = Hub::with_config(sse_axum::HubConfig::new().replay_events(2)).unwrap();
    let server = serve(listen().await, chat_app::router(hub));
    let proxy = Proxy::start(server).await;
    browser.goto(&proxy.url("/")).await;
    let open = "sseLog.some(entry => entry.kind === 'open')";
    browser
        .wait_until("the stream to open", open, PATIENCE)
        .await;
    let client = reqwest::Client::new();
    let post = |text: String| {
        client
            .post(format!("http://{server}/messages"))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "name": "bob", "text": text }).to_string())
            .send()
    };
    assert_eq!(post("seen".into()).await.unwrap().status(), 204);
    let one = "document.querySelectorAll('#messages li').length === 1";
    browser.wait_until("the first message", one, PATIENCE).await;

    // Away while five messages go by: the hub keeps two, so the page's last id is gone.
    proxy.hold();
    proxy.cut();
    let reconnecting = "sseLog.some(entry => entry.kind === 'error' && entry.readyState === 0)";
    browser
        .wait_until("the page to notice", reconnecting, PATIENCE)
        .await;
    for n in 1..=5 {
        assert_eq!(post(format!("missed {n}")).await.unwrap().status(), 204);
    }
    proxy.release();
    let notice = "document.querySelector('#messages .notice') !== null";
    browser
        .wait_until("the missed-messages notice", notice, PATIENCE)
        .await;
    let resync = events_of(&browser.log().await, "resync");
    assert_eq!(resync.len(), 1);
    browser.close().await;
}

/// Posts `body` to the chat with `headers`; returns the status.
async fn post_status(body: String, headers: &[(&str, &str)]) -> u16 {
    let server = serve(listen().await, chat_app::router(Hub::new()));
    let mut request = reqwest::Client::new()
        .post(format!("http://{server}/messages"))
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn only_json_from_the_page_own_origin_is_posted() {
    let message = r#"{"name":"ada","text":"hi"}"#.to_owned();
    let json = ("content-type", "application/json");
    assert_eq!(
        post_status(message.clone(), &[json]).await,
        204,
        "curl, no Origin"
    );
    // What a form on another site, or its simple `fetch`, can send without asking first.
    assert_eq!(
        post_status("ada: hi".into(), &[("content-type", "text/plain")]).await,
        415
    );
    assert_eq!(
        post_status(
            message.clone(),
            &[json, ("origin", "https://elsewhere.example")]
        )
        .await,
        403
    );
    assert_eq!(
        post_status(r#"{"text":3}"#.into(), &[json]).await,
        422,
        "fields that are not text"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_by_the_extractor_limit() {
    let text = "x".repeat(chat_app::MAX_BODY_LEN);
    let body = serde_json::json!({ "name": "ada", "text": text }).to_string();
    let json = ("content-type", "application/json");
    assert_eq!(post_status(body, &[json]).await, 413);
    let text = "x".repeat(chat_app::MAX_MESSAGE_LEN + 1);
    let body = serde_json::json!({ "name": "ada", "text": text }).to_string();
    assert_eq!(
        post_status(body, &[json]).await,
        413,
        "within the body limit, too long a text"
    );
}
