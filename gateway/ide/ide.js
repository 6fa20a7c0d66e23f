/*
 * Partner Insights' GraphQL IDE (served by gateway/ide-route.ts with React 18 and GraphiQL 3, UMD
 * builds, from this server): the token bar, the fetcher that sends the token, the example
 * operations (first tabs and the "Examples" panel). Plain ES2017, no build step.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'partner-insights:token';
  var config = JSON.parse(document.getElementById('pi-ide-config').textContent);
  var mount = document.getElementById('graphiql');
  var form = document.getElementById('pi-token-form');
  var input = document.getElementById('pi-token');
  var status = document.getElementById('pi-token-status');
  var forget = document.getElementById('pi-token-forget');

  var NO_TOKEN =
    'No token yet: paste one in the bar above (npm start prints tokens; or ' +
    'npx partner-insights token --partner <id> --role "Global admin"). The schema and every query need it.';

  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    mount.textContent = 'The IDE could not load its scripts (React, GraphiQL) from this server.';
    return;
  }
  var h = React.createElement;

  function readToken() {
    try {
      return localStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  function writeToken(token) {
    try {
      if (token) localStorage.setItem(TOKEN_KEY, token);
      else localStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      // storage disabled: the token lasts as long as the page
    }
  }

  /** What was pasted, as a token: no "Bearer ", quotes, or line breaks a terminal put in. */
  function normalise(text) {
    return String(text || '')
      .trim()
      .replace(/^authorization:\s*/i, '')
      .replace(/^bearer\s+/i, '')
      .replace(/^["']|["']$/g, '')
      .replace(/\s+/g, '');
  }

  /** The JWT's claims, unverified (the server verifies): for the bar only. */
  function claims(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      while (part.length % 4) part += '=';
      var json = decodeURIComponent(
        Array.prototype.map
          .call(atob(part), function (c) {
            return '%' + ('00' + c.charCodeAt(0).toString(16)).slice(-2);
          })
          .join(''),
      );
      return JSON.parse(json);
    } catch (e) {
      return null;
    }
  }

  function describe(token) {
    status.className = '';
    if (!token) {
      status.textContent = 'No token: queries are not sent until you paste one.';
      status.className = 'pi-warn';
      return;
    }
    var c = claims(token);
    if (!c) {
      status.textContent = 'Sent as is (not a JWT this page can read).';
      return;
    }
    var parts = [];
    if (c.partner) parts.push('partner ' + c.partner);
    if (c.roles) parts.push([].concat(c.roles).join(', '));
    if (c.locations) parts.push('locations ' + [].concat(c.locations).join(', '));
    if (typeof c.exp === 'number') {
      var expires = new Date(c.exp * 1000);
      var expired = expires.getTime() < Date.now();
      parts.push((expired ? 'EXPIRED ' : 'expires ') + expires.toISOString().slice(0, 16).replace('T', ' ') + ' UTC');
      if (expired) status.className = 'pi-warn';
    }
    status.textContent = 'Token: ' + parts.join(' · ');
  }

  /** The websocket URL of the subscriptions: this page's host, ws:// or wss:// as the page is served. */
  var subscriptionUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.subscriptionEndpoint;

  /**
   * The operation to run, from the parsed document GraphiQL gives: the one named, or the only one.
   * GraphiQL updates the operation name a moment after an edit, so a run right after one can name
   * an operation that is no longer there (the tab's previous one): with one operation in the
   * document, that one is meant.
   */
  function chosenOperation(params) {
    var operations = operationsIn(params.query || '');
    var named = operations.filter(function (o) {
      return !params.operationName || o.name === params.operationName;
    })[0];
    return named || (operations.length === 1 ? operations[0] : null);
  }

  /**
   * The operations of a GraphQL document, { operation, name }, read from its text: the words that
   * open a definition outside braces, strings and comments. (The parsed document GraphiQL passes
   * along can be the one before the last edit, like its operation name.)
   */
  function operationsIn(text) {
    var found = [];
    var depth = 0;
    var parens = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (c === '(' || c === ')') {
        parens += c === '(' ? 1 : -1;
      } else if (parens > 0 && c !== '"' && c !== '#') {
        // variables and arguments: their default values may hold braces
      } else if (c === '#') {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '"') {
        var block = text.slice(i, i + 3) === '"""';
        var end = block ? text.indexOf('"""', i + 3) : text.indexOf('"', i + 1);
        while (!block && end > 0 && text[end - 1] === '\\') end = text.indexOf('"', end + 1);
        i = end < 0 ? text.length : end + (block ? 2 : 0);
      } else if (c === '{') {
        if (depth === 0 && !(found.length && found[found.length - 1].open)) found.push({ operation: 'query', name: undefined });
        if (depth === 0 && found.length) found[found.length - 1].open = false;
        depth++;
      } else if (c === '}') {
        depth--;
      } else if (depth === 0 && /[A-Za-z_]/.test(c)) {
        var word = /^[_A-Za-z][_0-9A-Za-z]*/.exec(text.slice(i))[0];
        if (word === 'query' || word === 'mutation' || word === 'subscription' || word === 'fragment') {
          var name = /^\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(text.slice(i + word.length));
          found.push({ operation: word, name: name && word !== 'fragment' ? name[1] : undefined, open: true, fragment: word === 'fragment' });
        }
        i += word.length - 1;
      }
    }
    return found.filter(function (o) {
      return !o.fragment;
    });
  }

  /**
   * GraphiQL's fetcher picks the websocket by the parsed document it is given: this one says the
   * operation is the subscription read from the text, whatever GraphiQL last parsed.
   */
  function asSubscription(options, operation) {
    var name = operation.name ? { kind: 'Name', value: operation.name } : undefined;
    var documentAST = { kind: 'Document', definitions: [{ kind: 'OperationDefinition', operation: 'subscription', name: name }] };
    return Object.assign({}, options, { documentAST: documentAST });
  }

  /** The request with the name of the operation that runs (none when it has none). */
  function withOperationName(params, operation) {
    if (!operation || operation.name === params.operationName) return params;
    return Object.assign({}, params, { operationName: operation.name });
  }

  /**
   * Subscriptions over graphql-ws at /graphql (GraphiQL's own fetcher, whose graphql-ws client is in
   * its bundle), the token in connection_init's payload; everything else over HTTP below.
   */
  function makeFetcher(token) {
    var live = token && GraphiQL.createFetcher
      ? GraphiQL.createFetcher({ url: config.endpoint, subscriptionUrl: subscriptionUrl, wsConnectionParams: { authorization: 'Bearer ' + token } })
      : null;
    return function fetcher(asked, options) {
      var operation = chosenOperation(asked);
      var params = withOperationName(asked, operation);
      if (operation && operation.operation === 'subscription') return live ? live(params, asSubscription(options, operation)) : Promise.resolve({ errors: [{ message: NO_TOKEN }] });
      var extra = (options && options.headers) || {};
      var headers = { 'content-type': 'application/json', accept: 'application/json' };
      if (token) headers.authorization = 'Bearer ' + token;
      Object.keys(extra).forEach(function (name) {
        headers[name.toLowerCase()] = extra[name];
      });
      if (!headers.authorization) return Promise.resolve({ errors: [{ message: NO_TOKEN }] });
      return fetch(config.endpoint, {
        method: 'POST',
        headers: headers,
        body: JSON.stringify(params),
        credentials: 'same-origin',
      }).then(function (response) {
        return response.text().then(function (text) {
          var body = null;
          try {
            body = JSON.parse(text);
          } catch (e) {
            // not JSON
          }
          if (body && typeof body === 'object' && ('data' in body || 'errors' in body)) return body;
          var reason = body && (body.message || body.error) ? body.message || body.error : text.slice(0, 300);
          return { errors: [{ message: 'HTTP ' + response.status + ': ' + reason, extensions: { status: response.status, body: body } }] };
        });
      });
    };
  }

  /**
   * Opens an example in a new tab: GraphiQL's addTab, then the example's text and operation name
   * (GraphiQL reads the name from the text 100 ms after a change; set now, a run at once is right).
   */
  function openExample(editor, example) {
    editor.addTab();
    setTimeout(function () {
      if (editor.queryEditor) editor.queryEditor.setValue(example.query);
      if (editor.variableEditor) editor.variableEditor.setValue(example.variables || '');
      if (editor.setOperationName) editor.setOperationName(example.name);
    }, 0);
  }

  function ExamplesPanel() {
    var editor = GraphiQL.React.useEditorContext({ nonNull: true });
    return h(
      'section',
      { className: 'pi-examples' },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Examples'),
      h('p', { className: 'pi-examples-note' }, 'From the project\u2019s operations/ files. Each opens in a new tab.'),
      config.examples.map(function (example) {
        return h(
          'button',
          {
            key: example.name,
            type: 'button',
            className: 'pi-example',
            'data-example': example.name,
            onClick: function () {
              openExample(editor, example);
            },
          },
          h('strong', null, example.name),
          h('span', null, example.description.split('\n')[0] || ''),
          h('small', null, example.file),
        );
      }),
    );
  }

  function ExamplesIcon() {
    return h(
      'svg',
      { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true', width: '1em', height: '1em' },
      h('path', { d: 'M5 4h10l4 4v12H5z M15 4v4h4 M8 12h8 M8 16h6', strokeLinejoin: 'round' }),
    );
  }

  var examplesPlugin = { title: 'Examples', icon: ExamplesIcon, content: ExamplesPanel };
  var defaultTabs = config.examples.map(function (example) {
    return { query: example.query, variables: example.variables || undefined };
  });

  var root = ReactDOM.createRoot(mount);
  function render(token) {
    root.render(
      h(GraphiQL, {
        fetcher: makeFetcher(token),
        defaultTabs: defaultTabs.length ? defaultTabs : undefined,
        plugins: config.examples.length ? [examplesPlugin] : [],
        visiblePlugin: config.examples.length ? examplesPlugin : undefined,
        defaultEditorToolsVisibility: 'variables',
        shouldPersistHeaders: false,
      }),
    );
  }

  function use(token) {
    writeToken(token);
    input.value = token;
    describe(token);
    render(token);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    use(normalise(input.value));
  });
  forget.addEventListener('click', function () {
    use('');
    input.focus();
  });

  use(readToken());
})();
