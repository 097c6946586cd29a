/// The style sheet and the script every report page carries inline (a report opens with no
/// network: no external fonts, style sheets or scripts).
enum ReportStyle {
    /// Lanes the shared style sheet has rules for; a page with more adds its own.
    static let sharedLanes = 6

    /// The style sheet. Overlapping spans sit in lanes: lane 0 is marked in the text itself,
    /// each further lane in a copy of the text laid exactly over it (same font, same width, so
    /// it wraps the same), transparent but for its marks' underlines and labels. A lane's
    /// underline sits lower than the one before, and its mark reaches down (padding) to it:
    /// lower lanes lie on top, so each span is clickable on its own underline.
    static let css: StaticString = """
        :root{color-scheme:light}
        body{font:16px/1.5 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",\
        system-ui,sans-serif;\
        margin:0 auto;max-width:64em;padding:1em 1.5em 5em;color:#1f2328;background:#fff}
        a{color:#0550ae}h1{font-size:1.4em;margin:.4em 0}h2{font-size:1.15em;margin:1.4em 0 .5em}
        nav,.facts{color:#57606a;font-size:.9em}
        .legend{display:flex;flex-wrap:wrap;gap:.4em;list-style:none;padding:0;margin:.8em 0}
        .legend button,.legend li>span{display:inline-block;font:inherit;font-size:.85em;border:1px solid #d0d7de;border-radius:1em;background:#f6f8fa;\
        padding:.15em .7em;cursor:pointer;color:inherit}
        .legend button[aria-pressed=false]{opacity:.45;text-decoration:line-through}
        .legend b{font-weight:600;margin-left:.35em}
        .sw{display:inline-block;width:.75em;height:.75em;border-radius:.2em;background:var(--c);margin-right:.35em;\
        vertical-align:-.05em}
        .chip{display:inline-block;border:1px solid var(--c);border-left-width:.45em;border-radius:.3em;padding:0 .4em;\
        margin:0 .3em .25em 0;font-size:.8em;line-height:1.5;white-space:nowrap}
        .block{display:flex;gap:1em;margin:0 0 .3em}
        .cats{flex:0 0 8.5em;text-align:right;padding-top:.4em}
        .stack{position:relative;flex:1;min-width:0}
        .layer{white-space:pre-wrap;overflow-wrap:anywhere;line-height:calc(1.6em + var(--n,1)*18px);pointer-events:none}
        .ws{display:none}
        .o{position:absolute;top:0;left:0;right:0;color:transparent;pointer-events:none;user-select:none}
        mark{position:relative;background:none;color:inherit;cursor:pointer;pointer-events:auto;text-decoration-line:underline;\
        text-decoration-color:var(--c);text-decoration-thickness:3px;text-decoration-skip-ink:none;\
        text-underline-offset:calc(3px + var(--k)*6px);padding-bottom:calc(7px + var(--k)*6px)}
        mark::before{content:attr(data-label);position:absolute;font-size:10px;line-height:1;color:var(--c);\
        white-space:nowrap;pointer-events:none;left:0;bottom:calc(100% + 1px + var(--k)*11px)}
        mark:hover,mark.on{background:color-mix(in srgb,var(--c) 18%,transparent)}
        mark:hover::after{content:attr(data-label) " " attr(data-start) ":" attr(data-end) " " attr(id);position:absolute;\
        left:0;top:100%;z-index:99;font-size:11px;line-height:1.3;white-space:nowrap;color:#1f2328;background:#fff;\
        border:1px solid var(--c);border-radius:.2em;padding:0 .3em;pointer-events:none}
        mark.off{text-decoration:none;pointer-events:none;background:none}
        mark.off::before{display:none}
        .k0{--k:0}.k1{--k:1}.k2{--k:2}.k3{--k:3}.k4{--k:4}.k5{--k:5}
        .z0{position:relative;z-index:40}.z1{z-index:39}.z2{z-index:38}.z3{z-index:37}.z4{z-index:36}.z5{z-index:35}
        #detail{position:fixed;left:0;right:0;bottom:0;background:#f6f8fa;border-top:1px solid #d0d7de;\
        padding:.4em 1.5em;font-size:.85em;white-space:pre-wrap;max-height:30vh;overflow:auto}
        #detail:empty{display:none}
        table{border-collapse:collapse;font-size:.9em}
        th,td{border-bottom:1px solid #eaeef2;padding:.25em .6em;text-align:left;vertical-align:top}
        th{position:sticky;top:0;background:#fff;white-space:nowrap}td a{white-space:nowrap}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        svg text{font-size:13px;fill:#1f2328}

        """

    /// The script: the legend's buttons hide and show a label's marks; a click on a mark shows
    /// its label, offsets, note and text below. The page reads the same without it.
    static let script: StaticString = """
        (function(){var d=document.getElementById('detail');
        document.querySelectorAll('.legend button[data-l]').forEach(function(b){b.addEventListener('click',function(){\
        var on=b.getAttribute('aria-pressed')!=='false';b.setAttribute('aria-pressed',on?'false':'true');\
        document.querySelectorAll('mark.'+b.getAttribute('data-l')).forEach(function(m){m.classList.toggle('off',on)})})});
        var last=null;document.addEventListener('click',function(e){var m=e.target.closest&&e.target.closest('mark');\
        if(!m||!d)return;if(last)last.classList.remove('on');m.classList.add('on');last=m;\
        d.textContent=m.dataset.label+' · '+m.dataset.start+':'+m.dataset.end+' · '+m.id+(m.title?'\\n'+m.title:'')+\
        '\\n'+m.textContent})})();

        """

    /// The head every page starts with, up to the open style element.
    static func head(_ w: inout JSONWriter, title: String) {
        w.raw(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
                + "<meta name=\"generator\" content=\"\(ReportWriter.generator)\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        w.html(title)
        w.raw("</title>\n<style>\n")
        w.raw(css)
    }

    /// `.lN{--c:#rrggbb}` for each label index given: a mark, chip or swatch of the label takes
    /// its colour from its class.
    static func labelRules(_ w: inout JSONWriter, _ labels: [Label], _ indices: [Int]) {
        for index in indices {
            w.raw(".l")
            w.int(index)
            w.raw("{--c:")
            w.raw(JSONWriter.cssColour(labels[index].colour))
            w.raw("}")
        }
        w.raw("\n")
    }

    /// A chip: a category label on a unit (`¶2 政治建设`).
    static func chip(_ w: inout JSONWriter, unit: String, label: Int, name: String) {
        w.raw("<span class=\"chip l")
        w.int(label)
        w.raw("\">")
        w.html(unit)
        w.raw(" ")
        w.html(name)
        w.raw("</span>")
    }
}
