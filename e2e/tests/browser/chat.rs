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
        assert_eq!(chat[0].1, "ada: hello, everyone");
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
            .body(format!("bob: message {n}"))
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 204);
    }
    proxy.release();

    let expected: Vec<String> = ["ada: hello, everyone".to_owned()]
        .into_iter()
        .chain((2..=6).map(|n| format!("bob: message {n}")))
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
        let texts: Vec<&String> = chat.iter().map(|(_, data)| data).collect();
        assert_eq!(
            texts,
            expected.iter().collect::<Vec<_>>(),
            "each message once, in order"
        );
        let rendered = browser
            .eval(
                "return [...document.querySelectorAll('#messages li')].map(li => li.textContent);",
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
